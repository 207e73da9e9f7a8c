// A small RFC 4180 CSV reader: quoted fields, doubled quotes, CRLF or LF, embedded newlines in
// quotes. Pure: parses a string already in memory.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace concordat {

struct CsvRow {
  size_t line = 0;  // 1-based line where the row starts
  std::vector<std::string> fields;
};

class CsvReader {
 public:
  explicit CsvReader(std::string_view text) : text_(text) {}
  // Reads the next row; false at the end. An unterminated quote is an error naming the line.
  Result<bool> Next(CsvRow* row);
  size_t offset() const { return pos_; }

 private:
  std::string_view text_;
  size_t pos_ = 0;
  size_t line_ = 1;
};

// Reads a whole CSV with a header row into maps of column → value.
struct CsvTable {
  std::vector<std::string> header;
  std::vector<CsvRow> rows;
  int Column(std::string_view name) const;  // -1 when absent
};
Result<CsvTable> ParseCsv(std::string_view text);

// One field for writing (RFC 4180): quoted, with quotes doubled, when it holds a comma, a quote
// or a line break; as it is otherwise.
std::string CsvQuote(std::string_view v);

}  // namespace concordat
