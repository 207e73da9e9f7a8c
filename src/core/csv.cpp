#include "core/csv.hpp"

#include <cstdio>

namespace concordat {

Result<bool> CsvReader::Next(CsvRow* row) {
  row->fields.clear();
  if (pos_ >= text_.size()) {
    return false;
  }
  row->line = line_;
  std::string field;
  bool in_quotes = false;
  bool field_started = false;
  while (pos_ < text_.size()) {
    const char c = text_[pos_];
    if (in_quotes) {
      if (c == '"') {
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
          field += '"';
          pos_ += 2;
          continue;
        }
        in_quotes = false;
        ++pos_;
        continue;
      }
      if (c == '\n') {
        ++line_;
      }
      field += c;
      ++pos_;
      continue;
    }
    if (c == '"' && !field_started) {
      in_quotes = true;
      field_started = true;
      ++pos_;
      continue;
    }
    if (c == ',') {
      row->fields.push_back(std::move(field));
      field.clear();
      field_started = false;
      ++pos_;
      continue;
    }
    if (c == '\r' || c == '\n') {
      if (c == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') {
        ++pos_;
      }
      ++pos_;
      ++line_;
      row->fields.push_back(std::move(field));
      return true;
    }
    field += c;
    field_started = true;
    ++pos_;
  }
  if (in_quotes) {
    return Error::InvalidArgument("line " + std::to_string(row->line),
                                  "unterminated quoted field starting on line " +
                                      std::to_string(row->line));
  }
  row->fields.push_back(std::move(field));
  return true;
}

size_t FirstInvalidUtf8(std::string_view text) {
  const auto* b = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    const unsigned c = b[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len = 0;
    unsigned lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;  // overlong
      if (c == 0xED) hi = 0x9F;  // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;  // overlong
      if (c == 0xF4) hi = 0x8F;  // above U+10FFFF
    } else {
      return i;
    }
    if (i + len > n || b[i + 1] < lo || b[i + 1] > hi) return i;
    for (size_t k = 2; k < len; ++k) {
      if (b[i + k] < 0x80 || b[i + k] > 0xBF) return i;
    }
    i += len;
  }
  return std::string_view::npos;
}

int CsvTable::Column(std::string_view name) const {
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

Result<CsvTable> ParseCsv(std::string_view text) {
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") {
    text.remove_prefix(3);  // UTF-8 byte-order mark
  }
  CsvReader reader(text);
  CsvTable t;
  CsvRow row;
  auto first = reader.Next(&row);
  if (!first.ok()) {
    return first.error();
  }
  if (!*first) {
    return Error::InvalidArgument("header", "the file is empty");
  }
  t.header = row.fields;
  while (true) {
    auto r = reader.Next(&row);
    if (!r.ok()) {
      return r.error();
    }
    if (!*r) {
      break;
    }
    if (row.fields.size() == 1 && row.fields[0].empty()) {
      continue;  // blank line
    }
    for (size_t c = 0; c < row.fields.size(); ++c) {
      if (const size_t at = FirstInvalidUtf8(row.fields[c]); at != std::string_view::npos) {
        char byte[8];
        std::snprintf(byte, sizeof byte, "0x%02X",
                      static_cast<unsigned>(static_cast<unsigned char>(row.fields[c][at])));
        return Error::InvalidArgument(
            "line " + std::to_string(row.line),
            "line " + std::to_string(row.line) + ", column " +
                (c < t.header.size() ? t.header[c] : std::to_string(c + 1)) +
                ": not UTF-8 text (byte " + byte + "); save the file as UTF-8");
      }
    }
    t.rows.push_back(row);
  }
  return t;
}

std::string CsvQuote(std::string_view v) {
  if (v.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(v);
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace concordat
