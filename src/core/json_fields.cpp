#include "core/json_fields.hpp"

#include <boost/json.hpp>
#include <cmath>
#include <cstdio>

namespace concordat {

namespace {
// A bound as a person writes it in an error message: "-90", "0.5" (Boost.JSON writes "-9E1").
std::string PlainNumber(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  return buf;
}
}  // namespace

const boost::json::value* FindPath(const boost::json::object& o, std::string_view path) {
  const boost::json::object* cur = &o;
  while (true) {
    const size_t dot = path.find('.');
    const std::string_view key = path.substr(0, dot);
    const boost::json::value* v = cur->if_contains(key);
    if (v == nullptr || v->is_null()) {
      return nullptr;
    }
    if (dot == std::string_view::npos) {
      return v;
    }
    cur = v->if_object();
    if (cur == nullptr) {
      return nullptr;
    }
    path = path.substr(dot + 1);
  }
}

void FieldReader::Fail(std::string_view path, std::string message) {
  if (!error_) {
    error_ = Error::InvalidArgument(std::string(path), std::move(message));
    return;
  }
  // Every field that cannot be taken is named at once, so that a person filling in a form mends
  // them all in one go instead of learning of them one submission at a time.
  AddProblem(*error_, path, std::move(message));
}

void AddProblem(Error& into, std::string_view field, std::string message) {
  // The first stays the error's `field` (what a screen points at); the message lists them all,
  // and details.problems has each with its own message. A field named twice is listed once.
  if (into.details.is_null()) {
    into.details =
        boost::json::object{{"problems", boost::json::array{boost::json::object{
                                             {"field", into.field}, {"message", into.message}}}}};
  }
  auto* problems =
      into.details.is_object() ? into.details.as_object().if_contains("problems") : nullptr;
  if (problems == nullptr || !problems->is_array()) return;
  auto& list = problems->as_array();
  if (list.size() >= FieldReader::kMaxProblems) return;
  for (const auto& p : list) {
    if (p.as_object().at("field").as_string() == field) return;
  }
  into.message += "; " + message;
  list.push_back(boost::json::object{{"field", field}, {"message", std::move(message)}});
}

void Problems::Add(Error e) {
  if (!first_) {
    first_ = std::move(e);
    return;
  }
  AddProblem(*first_, e.field, std::move(e.message));
}

const boost::json::value* FieldReader::Get(std::string_view path, bool required) {
  const boost::json::value* v = FindPath(o_, path);
  if (v == nullptr && required) {
    Fail(path, std::string(path) + " is required");
  }
  return v;
}

bool IsBlank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n\f\v") == std::string_view::npos;
}

std::optional<std::string> FieldReader::OptionalString(std::string_view path, size_t max_len) {
  const auto* v = Get(path, false);
  if (v == nullptr) {
    return std::nullopt;
  }
  if (!v->is_string()) {
    Fail(path, std::string(path) + " must be a string");
    return std::nullopt;
  }
  if (v->as_string().size() > max_len) {
    Fail(path, std::string(path) + " is longer than " + std::to_string(max_len) + " characters");
    return std::nullopt;
  }
  return std::string(v->as_string());
}

std::string FieldReader::String(std::string_view path, size_t max_len) {
  if (Get(path, true) == nullptr) {
    return {};
  }
  auto s = OptionalString(path, max_len);
  if (s && s->empty()) {
    Fail(path, std::string(path) + " must not be empty");
  } else if (s && IsBlank(*s)) {
    // Spaces alone say nothing: a reason, a summary or a name made of them is refused as the
    // web app refuses it.
    Fail(path, std::string(path) + " must not be blank");
  }
  return s.value_or("");
}

std::optional<double> FieldReader::OptionalNumber(std::string_view path, double min, double max) {
  const auto* v = Get(path, false);
  if (v == nullptr) {
    return std::nullopt;
  }
  double d = 0;
  if (v->is_double()) {
    d = v->as_double();
  } else if (v->is_int64()) {
    d = static_cast<double>(v->as_int64());
  } else if (v->is_uint64()) {
    d = static_cast<double>(v->as_uint64());
  } else {
    Fail(path, std::string(path) + " must be a number");
    return std::nullopt;
  }
  if (!std::isfinite(d) || d < min || d > max) {
    Fail(path,
         std::string(path) + " must be between " + PlainNumber(min) + " and " + PlainNumber(max));
    return std::nullopt;
  }
  return d;
}

double FieldReader::Number(std::string_view path, double min, double max) {
  if (Get(path, true) == nullptr) {
    return 0;
  }
  return OptionalNumber(path, min, max).value_or(0);
}

std::optional<std::int64_t> FieldReader::OptionalInteger(std::string_view path, std::int64_t min,
                                                         std::int64_t max) {
  const auto* v = Get(path, false);
  if (v == nullptr) {
    return std::nullopt;
  }
  std::int64_t i = 0;
  if (v->is_int64()) {
    i = v->as_int64();
  } else if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    i = static_cast<std::int64_t>(v->as_uint64());
  } else if (v->is_double() && std::floor(v->as_double()) == v->as_double() &&
             std::fabs(v->as_double()) < 9e15) {
    i = static_cast<std::int64_t>(v->as_double());
  } else {
    Fail(path, std::string(path) + " must be a whole number");
    return std::nullopt;
  }
  if (i < min || i > max) {
    Fail(path, std::string(path) + " must be between " + std::to_string(min) + " and " +
                   std::to_string(max));
    return std::nullopt;
  }
  return i;
}

std::int64_t FieldReader::Integer(std::string_view path, std::int64_t min, std::int64_t max) {
  if (Get(path, true) == nullptr) {
    return 0;
  }
  return OptionalInteger(path, min, max).value_or(0);
}

std::optional<bool> FieldReader::OptionalBool(std::string_view path) {
  const auto* v = Get(path, false);
  if (v == nullptr) {
    return std::nullopt;
  }
  if (!v->is_bool()) {
    Fail(path, std::string(path) + " must be true or false");
    return std::nullopt;
  }
  return v->as_bool();
}

bool FieldReader::Bool(std::string_view path) {
  if (Get(path, true) == nullptr) {
    return false;
  }
  return OptionalBool(path).value_or(false);
}

std::optional<std::string> FieldReader::OptionalEnum(
    std::string_view path, std::initializer_list<std::string_view> allowed) {
  auto s = OptionalString(path, 200);
  if (!s) {
    return std::nullopt;
  }
  for (auto a : allowed) {
    if (*s == a) {
      return s;
    }
  }
  std::string list;
  for (auto a : allowed) {
    list += list.empty() ? "" : ", ";
    list += a;
  }
  Fail(path, std::string(path) + " must be one of: " + list);
  return std::nullopt;
}

std::string FieldReader::Enum(std::string_view path,
                              std::initializer_list<std::string_view> allowed) {
  if (Get(path, true) == nullptr) {
    return {};
  }
  return OptionalEnum(path, allowed).value_or("");
}

std::optional<Timestamp> FieldReader::OptionalTime(std::string_view path) {
  auto s = OptionalString(path, 64);
  if (!s) {
    return std::nullopt;
  }
  auto t = ParseIso(*s, path);
  if (!t.ok()) {
    Fail(path, t.error().message);
    return std::nullopt;
  }
  return *t;
}

Timestamp FieldReader::Time(std::string_view path) {
  if (Get(path, true) == nullptr) {
    return 0;
  }
  return OptionalTime(path).value_or(0);
}

std::vector<std::string> FieldReader::StringList(std::string_view path, size_t max_items) {
  std::vector<std::string> out;
  const auto* v = Get(path, false);
  if (v == nullptr) {
    return out;
  }
  const auto* a = v->if_array();
  if (a == nullptr) {
    Fail(path, std::string(path) + " must be a list of strings");
    return out;
  }
  if (a->size() > max_items) {
    Fail(path, std::string(path) + " has more than " + std::to_string(max_items) + " items");
    return out;
  }
  for (const auto& item : *a) {
    if (!item.is_string() || IsBlank(item.as_string()) || item.as_string().size() > 200) {
      Fail(path, std::string(path) + " must be a list of non-empty strings");
      return {};
    }
    out.emplace_back(item.as_string());
  }
  return out;
}

const boost::json::object* FieldReader::Object(std::string_view path) {
  const auto* v = Get(path, false);
  if (v == nullptr) {
    return nullptr;
  }
  if (!v->is_object()) {
    Fail(path, std::string(path) + " must be an object");
    return nullptr;
  }
  return &v->as_object();
}

}  // namespace concordat
