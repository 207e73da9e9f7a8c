#include "core/csv.hpp"

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
