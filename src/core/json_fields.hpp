// Reading validated fields out of JSON input. Each reader names the field in its error, so the
// API can answer `400 {"error":{"code":"invalid_argument","field":"location.lat",...}}`.
//
// Example:
//   FieldReader r(body);
//   auto lat = r.Number("location.lat", -90, 90);
//   auto grade = r.Enum("grade", {"I", "S", "E", "R"});
//   if (!r.ok()) return r.error();
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"

namespace concordat {

// True when `s` is empty or only whitespace.
bool IsBlank(std::string_view s);

// Finds a dotted path ("a.b.c") in an object; nullptr when absent or null.
const boost::json::value* FindPath(const boost::json::object& o, std::string_view path);

class FieldReader {
 public:
  explicit FieldReader(const boost::json::object& o) : o_(o) {}

  // Required fields record an error when absent; Optional* return nullopt when absent.
  std::string String(std::string_view path, size_t max_len = 2000);
  std::optional<std::string> OptionalString(std::string_view path, size_t max_len = 2000);
  double Number(std::string_view path, double min, double max);
  std::optional<double> OptionalNumber(std::string_view path, double min, double max);
  std::int64_t Integer(std::string_view path, std::int64_t min, std::int64_t max);
  std::optional<std::int64_t> OptionalInteger(std::string_view path, std::int64_t min,
                                              std::int64_t max);
  bool Bool(std::string_view path);
  std::optional<bool> OptionalBool(std::string_view path);
  std::string Enum(std::string_view path, std::initializer_list<std::string_view> allowed);
  std::optional<std::string> OptionalEnum(std::string_view path,
                                          std::initializer_list<std::string_view> allowed);
  Timestamp Time(std::string_view path);
  std::optional<Timestamp> OptionalTime(std::string_view path);
  std::vector<std::string> StringList(std::string_view path, size_t max_items = 100);
  const boost::json::object* Object(std::string_view path);  // nullptr (no error) when absent

  // Records a problem with `path`. The first names the error's field; later ones are added to
  // its message and to details.problems (at most kMaxProblems), so that all are told at once.
  void Fail(std::string_view path, std::string message);
  static constexpr size_t kMaxProblems = 12;
  bool ok() const { return !error_.has_value(); }
  const Error& error() const { return *error_; }

 private:
  const boost::json::value* Get(std::string_view path, bool required);

  const boost::json::object& o_;
  std::optional<Error> error_;
};

// Adds a problem with `field` to `into`, as FieldReader::Fail does with its second and later
// ones: `into` keeps its code and field, its message gains "; " and `message`, and
// details.problems lists each field once (at most FieldReader::kMaxProblems).
void AddProblem(Error& into, std::string_view field, std::string message);

// Problems of one request beyond the form of its fields (a rule of the law that the facts given
// break), gathered like FieldReader's so that a person mends them all in one go. The first is
// kept whole (its code names the refusal); each later one adds its field and message to it.
class Problems {
 public:
  void Add(Error e);
  bool any() const { return first_.has_value(); }
  Error Take() { return std::move(*first_); }

 private:
  std::optional<Error> first_;
};

}  // namespace concordat
