// JSON text for people and browsers: the same document Boost.JSON would write, but numbers in
// their shortest plain form ("0.8", "51.50081", "1e+21" only when needed) rather than Boost 1.81's
// "8E-1". Used for API responses and stream messages; the event log keeps Boost's own canonical
// form, which the hash chain depends on.
#pragma once

#include <boost/json/value.hpp>
#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace concordat {

std::string JsonText(const boost::json::value& v);
void AppendJsonText(std::string& out, const boost::json::value& v);
// The same for an object or an array as they are: without these, passing one converts it to a
// `value`, which copies the whole document first (a command's body, on the writer, every time).
// Templates, so that they are chosen only for exactly these types (a number still makes a value,
// not an array of that size).
void AppendJsonObjectText(std::string& out, const boost::json::object& o);
void AppendJsonArrayText(std::string& out, const boost::json::array& a);
template <class T>
requires std::same_as<T, boost::json::object> || std::same_as<T, boost::json::array>
void AppendJsonText(std::string& out, const T& x) {
  if constexpr (std::same_as<T, boost::json::object>) {
    AppendJsonObjectText(out, x);
  } else {
    AppendJsonArrayText(out, x);
  }
}
template <class T>
requires std::same_as<T, boost::json::object> || std::same_as<T, boost::json::array> std::string
JsonText(const T& x) {
  std::string out;
  out.reserve(256);
  AppendJsonText(out, x);
  return out;
}

// Writes JSON text directly, for views on a hot path (the reply to every API command renders an
// incident): the same text JsonText writes for the same document, without building the
// document first. Commas are placed by the writer; keys and values are written in call order.
//
//   std::string out;
//   JsonWriter w(out);
//   w.Open().Key("id").Str(id).Key("n").Int(3).Key("tags").OpenArray().Str("a").CloseArray().Close();
class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}
  JsonWriter& Open() { return Begin('{'); }
  JsonWriter& Close() { return End('}'); }
  JsonWriter& OpenArray() { return Begin('['); }
  JsonWriter& CloseArray() { return End(']'); }
  JsonWriter& Key(std::string_view k);
  JsonWriter& Str(std::string_view s);
  JsonWriter& Int(std::int64_t v);
  JsonWriter& Double(double v);
  // A number as Boost.JSON writes it ("5.15074E1"), for event payloads: the event log keeps
  // Boost's form, so a typed event's payload is the text a JSON object's would have been.
  JsonWriter& LogDouble(double v);
  JsonWriter& Bool(bool v);
  JsonWriter& Null();
  JsonWriter& Value(const boost::json::value& v);
  JsonWriter& StrArray(const std::vector<std::string>& v);
  // A string, or null when empty.
  JsonWriter& StrOrNull(std::string_view s) { return s.empty() ? Null() : Str(s); }

 private:
  JsonWriter& Begin(char bracket);
  JsonWriter& End(char bracket);
  void Separate() {
    if (comma_) out_ += ',';
  }
  std::string& out_;
  bool comma_ = false;  // a value has been written in the current container
};

}  // namespace concordat
