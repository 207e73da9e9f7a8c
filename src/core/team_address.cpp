#include "core/team_address.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <vector>

namespace concordat {
namespace {

bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// "E1", "SW1A", "N16", "EC2V": A9, A9A, A99, AA9, AA9A, AA99.
bool IsOutward(std::string_view t) {
  if (t.size() < 2 || t.size() > 4 || !IsUpper(t[0])) return false;
  size_t i = 1;
  if (IsUpper(t[i])) ++i;
  if (i >= t.size() || !IsDigit(t[i])) return false;
  ++i;
  if (i < t.size() && (IsDigit(t[i]) || IsUpper(t[i]))) ++i;
  return i == t.size();
}

// "6AN": 9AA.
bool IsInward(std::string_view t) {
  return t.size() == 3 && IsDigit(t[0]) && IsUpper(t[1]) && IsUpper(t[2]);
}

std::vector<std::string> Split(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == ' ') {
      if (!cur.empty()) out.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

// Upper case, punctuation to spaces, commas kept as their own token, "3 / 12" → "3/12".
std::string Clean(std::string_view text) {
  std::string up;
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (std::isalnum(c)) {
      up += static_cast<char>(std::toupper(c));
    } else if (c == '/') {
      up += '/';
    } else if (c == ',' || c == ';' || c == '\n') {
      up += " , ";
    } else if (c == '\'') {
      // St James's → ST JAMESS
    } else if (c == 0xE2 && i + 2 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) == 0x80 &&
               static_cast<unsigned char>(text[i + 2]) == 0x99) {
      i += 2;  // a typographic apostrophe
    } else if (c >= 0x80) {
      up += static_cast<char>(c);  // other UTF-8 kept as written
    } else {
      up += ' ';
    }
  }
  std::string out;
  for (size_t i = 0; i < up.size(); ++i) {
    if (up[i] == ' ') {
      const bool after_slash = !out.empty() && out.back() == '/';
      size_t j = i;
      while (j < up.size() && up[j] == ' ') ++j;
      const bool before_slash = j < up.size() && up[j] == '/';
      if (after_slash || before_slash) continue;
    }
    out += up[i];
  }
  return out;
}

bool IsFlatWord(const std::string& t) {
  static const std::set<std::string> k = {"FLAT", "FLT",    "APARTMENT", "APT",
                                          "UNIT", "STUDIO", "ROOM",      "RM"};
  return k.contains(t);
}

// "3", "3A", "A", "12B": what a flat is numbered with.
bool IsFlatId(const std::string& t) {
  if (t.empty() || t.size() > 5 || t == ",") return false;
  if (t.size() == 1 && IsUpper(t[0])) return true;
  return IsDigit(t[0]) &&
         std::all_of(t.begin(), t.end(), [](char c) { return IsDigit(c) || IsUpper(c); });
}

const std::map<std::string, std::string>& StreetTypes() {
  static const std::map<std::string, std::string> k = {
      {"RD", "ROAD"},   {"AVE", "AVENUE"},    {"AV", "AVENUE"},    {"LN", "LANE"},
      {"CL", "CLOSE"},  {"CRES", "CRESCENT"}, {"GDNS", "GARDENS"}, {"PL", "PLACE"},
      {"SQ", "SQUARE"}, {"TERR", "TERRACE"},  {"TER", "TERRACE"},  {"CT", "COURT"},
      {"GRN", "GREEN"}, {"PDE", "PARADE"},    {"HSE", "HOUSE"},    {"EST", "ESTATE"},
      {"PK", "PARK"},   {"GRV", "GROVE"},     {"STR", "STREET"},   {"BLDGS", "BUILDINGS"},
      {"WLK", "WALK"},  {"HTS", "HEIGHTS"}};
  return k;
}

bool StartsWithDigit(const std::string& t) { return !t.empty() && IsDigit(t[0]); }

}  // namespace

std::string NormaliseAddress(std::string_view text) {
  std::vector<std::string> tok = Split(Clean(text));
  auto trim_commas = [&tok] {
    while (!tok.empty() && tok.back() == ",") tok.pop_back();
  };
  trim_commas();
  std::string postcode;
  if (tok.size() >= 2 && IsInward(tok.back()) && IsOutward(tok[tok.size() - 2])) {
    postcode = tok[tok.size() - 2] + " " + tok.back();
    tok.resize(tok.size() - 2);
  } else if (!tok.empty() && tok.back().size() >= 5 && tok.back().size() <= 7) {
    const std::string& t = tok.back();
    if (IsInward(std::string_view(t).substr(t.size() - 3)) &&
        IsOutward(std::string_view(t).substr(0, t.size() - 3))) {
      postcode = t.substr(0, t.size() - 3) + " " + t.substr(t.size() - 3);
      tok.pop_back();
    }
  }
  trim_commas();
  while (!tok.empty() && (tok.back() == "LONDON" || tok.back() == "UK")) {
    tok.pop_back();
    trim_commas();
  }

  // Flat designators, wherever they are; "NO 12" → "12".
  std::string flat;
  std::vector<std::string> kept;
  for (size_t i = 0; i < tok.size(); ++i) {
    if (flat.empty() && IsFlatWord(tok[i]) && i + 1 < tok.size() && IsFlatId(tok[i + 1])) {
      flat = tok[i + 1];
      ++i;
      if (i + 1 < tok.size() && tok[i + 1] == ",") ++i;
      continue;
    }
    if ((tok[i] == "NO" || tok[i] == "NUMBER") && i + 1 < tok.size() &&
        StartsWithDigit(tok[i + 1])) {
      continue;
    }
    kept.push_back(tok[i]);
  }
  while (!kept.empty() && kept.front() == ",") kept.erase(kept.begin());
  if (!flat.empty()) {
    auto house = std::find_if(kept.begin(), kept.end(), StartsWithDigit);
    if (house != kept.end() && house->find('/') == std::string::npos) {
      *house = flat + "/" + *house;
    } else if (house == kept.end()) {
      kept.insert(kept.begin(), {"FLAT", flat});
    }
  }

  std::string out;
  std::string prev;  // the previous word in the same comma-separated part
  for (const auto& t : kept) {
    if (t == ",") {
      prev.clear();
      continue;
    }
    std::string w = t;
    const bool after_word = !prev.empty() && !StartsWithDigit(prev);
    if (t == "ST") {
      w = after_word ? "STREET" : "SAINT";
    } else if (t == "DR" && after_word) {
      w = "DRIVE";
    } else if (auto it = StreetTypes().find(t); it != StreetTypes().end()) {
      w = it->second;
    }
    if (!out.empty()) out += ' ';
    out += w;
    prev = t;
  }
  if (!postcode.empty()) {
    if (!out.empty()) out += ' ';
    out += postcode;
  }
  return out;
}

std::string PostcodeOf(std::string_view key) {
  auto tok = Split(std::string(key));
  if (tok.size() >= 2 && IsInward(tok.back()) && IsOutward(tok[tok.size() - 2])) {
    return tok[tok.size() - 2] + " " + tok.back();
  }
  return {};
}

std::string NormaliseName(std::string_view name) {
  std::string s;
  for (char ch : name) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (std::isalpha(c)) {
      s += static_cast<char>(std::toupper(c));
    } else if (c == '\'') {
      // O'Brien → OBRIEN
    } else {
      s += ' ';
    }
  }
  static const std::set<std::string> kTitles = {"MR", "MRS", "MS", "MISS", "DR", "MX"};
  std::string out;
  bool leading = true;
  for (const auto& t : Split(s)) {
    if (leading && kTitles.contains(t)) continue;
    leading = false;
    if (!out.empty()) out += ' ';
    out += t;
  }
  return out;
}

std::string NormalisePhone(std::string_view phone) {
  std::string d;
  for (size_t i = 0; i < phone.size(); ++i) {
    if (phone.substr(i, 3) == "(0)") {  // "+44 (0)20 ...": the trunk zero written for locals
      i += 2;
      continue;
    }
    if (IsDigit(phone[i])) d += phone[i];
  }
  if (d.rfind("0044", 0) == 0) {
    d = "0" + d.substr(4);
  } else if (d.rfind("44", 0) == 0 && d.size() == 12) {
    d = "0" + d.substr(2);
  }
  return d.size() < 6 ? std::string() : d;
}

namespace {
size_t Levenshtein(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}
}  // namespace

std::string NameSimilarity(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return {};
  if (a == b) return "same";
  auto ta = Split(std::string(a));
  auto tb = Split(std::string(b));
  if (ta.size() >= 2 && tb.size() >= 2 && ta.back() == tb.back() && ta[0][0] == tb[0][0]) {
    return "similar";
  }
  auto sa = ta, sb = tb;
  std::sort(sa.begin(), sa.end());
  std::sort(sb.begin(), sb.end());
  if (sa == sb) return "similar";  // first and last names swapped
  if (std::min(a.size(), b.size()) >= 5 && Levenshtein(a, b) <= 2) return "similar";
  return {};
}

}  // namespace concordat
