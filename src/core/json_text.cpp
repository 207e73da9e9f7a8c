#include "core/json_text.hpp"

#include <boost/json/serializer.hpp>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace concordat {
namespace {

bool NeedsEscape(char ch) {
  const auto c = static_cast<unsigned char>(ch);
  return c < 0x20 || c == '"' || c == '\\';
}

// True when any of the eight bytes of `w` needs an escape: below 0x20, '"' or '\\'. Each test is
// exact about whether such a byte exists (a borrow can only run on from a byte that already
// matched); bytes from 0x80 up never match, so UTF-8 is left alone.
bool AnyNeedsEscape(std::uint64_t w) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  const std::uint64_t below_space = (w - kOnes * 0x20) & ~w;
  const std::uint64_t q = w ^ (kOnes * '"');
  const std::uint64_t quote = (q - kOnes) & ~q;
  const std::uint64_t b = w ^ (kOnes * '\\');
  const std::uint64_t backslash = (b - kOnes) & ~b;
  return ((below_space | quote | backslash) & kHigh) != 0;
}

// The first byte from `p` that needs an escape, or `end`: eight bytes to a test while they last.
const char* FindEscape(const char* p, const char* end) {
  for (; end - p >= 8; p += 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    if (AnyNeedsEscape(w)) break;
  }
  while (p != end && !NeedsEscape(*p)) ++p;
  return p;
}

// `s` quoted and escaped, then `suffix` if it is not 0 (a key's ':').
void AppendString(std::string& out, boost::json::string_view s, char suffix = 0) {
  static constexpr char kHex[] = "0123456789abcdef";
  const char* const end = s.data() + s.size();
  const char* p = FindEscape(s.data(), end);
  if (p == end) {
    // Nearly every key and value: one scan, one size check and one copy (this writes every
    // reply and every typed event's payload on the engine's writer).
    const size_t at = out.size();
    const size_t n = s.size() + (suffix != 0 ? 3 : 2);
    out.resize(at + n);
    char* w = out.data() + at;
    *w = '"';
    std::memcpy(w + 1, s.data(), s.size());
    w[s.size() + 1] = '"';
    if (suffix != 0) w[s.size() + 2] = suffix;
    return;
  }
  out += '"';
  // Runs of characters that need no escape are copied at once; UTF-8 passes through as it is.
  const char* run = s.data();
  for (; p != end; ++p) {
    const auto c = static_cast<unsigned char>(*p);
    if (!NeedsEscape(*p)) continue;
    out.append(run, static_cast<size_t>(p - run));
    run = p + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
    }
  }
  out.append(run, static_cast<size_t>(end - run));
  out += '"';
  if (suffix != 0) out += suffix;
}

template <class T>
void AppendNumber(std::string& out, T x) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, x);
  out.append(buf, r.ptr);
}

void AppendDouble(std::string& out, double x) {
  if (std::isfinite(x)) {
    const size_t at = out.size();
    AppendNumber(out, x);
    // Keep it a double when read back ("50.0", not "50").
    if (out.find_first_of(".e", at) == std::string::npos) out += ".0";
  } else {
    out += "null";  // JSON has no infinities
  }
}

}  // namespace

void AppendJsonText(std::string& out, const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::null:
      out += "null";
      break;
    case boost::json::kind::bool_:
      out += v.get_bool() ? "true" : "false";
      break;
    case boost::json::kind::int64:
      AppendNumber(out, v.get_int64());
      break;
    case boost::json::kind::uint64:
      AppendNumber(out, v.get_uint64());
      break;
    case boost::json::kind::double_:
      AppendDouble(out, v.get_double());
      break;
    case boost::json::kind::string:
      AppendString(out, v.get_string());
      break;
    case boost::json::kind::array:
      AppendJsonArrayText(out, v.get_array());
      break;
    case boost::json::kind::object:
      AppendJsonObjectText(out, v.get_object());
      break;
  }
}

void AppendJsonArrayText(std::string& out, const boost::json::array& a) {
  out += '[';
  bool first = true;
  for (const auto& x : a) {
    if (!first) out += ',';
    first = false;
    AppendJsonText(out, x);
  }
  out += ']';
}

void AppendJsonObjectText(std::string& out, const boost::json::object& o) {
  out += '{';
  bool first = true;
  for (const auto& kv : o) {
    if (!first) out += ',';
    first = false;
    AppendString(out, kv.key(), ':');
    AppendJsonText(out, kv.value());
  }
  out += '}';
}

std::string JsonText(const boost::json::value& v) {
  std::string out;
  out.reserve(256);
  AppendJsonText(out, v);
  return out;
}

JsonWriter& JsonWriter::Begin(char bracket) {
  Separate();
  out_ += bracket;
  comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::End(char bracket) {
  out_ += bracket;
  comma_ = true;  // the container is itself a value
  return *this;
}

JsonWriter& JsonWriter::Key(std::string_view k) {
  Separate();
  AppendString(out_, boost::json::string_view(k.data(), k.size()), ':');
  comma_ = false;  // the value follows without one
  return *this;
}

JsonWriter& JsonWriter::Str(std::string_view s) {
  Separate();
  AppendString(out_, boost::json::string_view(s.data(), s.size()));
  comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::Int(std::int64_t v) {
  Separate();
  AppendNumber(out_, v);
  comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::Double(double v) {
  Separate();
  AppendDouble(out_, v);
  comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::LogDouble(double v) {
  Separate();
  // Boost.JSON's own text for the number, from a serializer on the stack (no allocation).
  const boost::json::value number(v);
  boost::json::serializer sr;
  sr.reset(&number);
  char buf[64];
  while (!sr.done()) {
    const auto part = sr.read(buf, sizeof buf);
    out_.append(part.data(), part.size());
  }
  comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::Bool(bool v) {
  Separate();
  out_ += v ? "true" : "false";
  comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::Null() {
  Separate();
  out_ += "null";
  comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::Value(const boost::json::value& v) {
  Separate();
  AppendJsonText(out_, v);
  comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::StrArray(const std::vector<std::string>& v) {
  OpenArray();
  for (const auto& s : v) Str(s);
  return CloseArray();
}

}  // namespace concordat
