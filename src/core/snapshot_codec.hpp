// The binary snapshot form of the domain state: every described member written in declaration
// order, lengths before contents, so that a restore copies bytes into the state's containers
// without building a JSON document first (DESIGN.md §7: start-up of 10 million events with
// snapshots in under 10 s; the JSON form cost about 23 µs per incident kept).
//
// The encoding follows the types alone (Boost.Describe), so a new or reordered member would make
// old bytes mean something else. Each snapshot therefore carries the signature of the types it
// was written with — every member's name and kind, recursively — and a reader built from other
// types refuses it, and the engine replays the log instead. Every read is bounds-checked: a
// truncated or damaged snapshot is refused, never read past its end.
//
// Included only by the files that encode or decode the state (core/state.cpp, tests).
#pragma once

#include <algorithm>
#include <boost/describe.hpp>
#include <boost/json.hpp>
#include <boost/mp11/algorithm.hpp>
#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/indexed_map.hpp"

namespace concordat::snapshot {

class Writer {
 public:
  void Fixed(std::uint64_t v) {
    char b[8];
    std::memcpy(b, &v, 8);
    out_.append(b, 8);
  }
  void Byte(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void Bytes(std::string_view s) {
    Fixed(s.size());
    out_.append(s);
  }
  std::string& out() { return out_; }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : p_(in.data()), end_(in.data() + in.size()) {}
  bool Fixed(std::uint64_t& v) {
    if (end_ - p_ < 8) return Fail();
    std::memcpy(&v, p_, 8);
    p_ += 8;
    return true;
  }
  bool Byte(std::uint8_t& v) {
    if (p_ == end_) return Fail();
    v = static_cast<std::uint8_t>(*p_++);
    return true;
  }
  bool Bytes(std::string_view& s) {
    std::uint64_t n = 0;
    if (!Fixed(n) || n > static_cast<std::uint64_t>(end_ - p_)) return Fail();
    s = std::string_view(p_, n);
    p_ += n;
    return true;
  }
  // A count of elements that each take at least one byte: more than the bytes left is damage.
  bool Count(std::uint64_t& n) { return Fixed(n) && (n <= Left() || Fail()); }
  std::uint64_t Left() const { return static_cast<std::uint64_t>(end_ - p_); }
  bool Fail() {
    p_ = end_;
    failed_ = true;
    return false;
  }
  bool failed() const { return failed_; }

 private:
  const char* p_;
  const char* end_;
  bool failed_ = false;
};

template <class T>
struct Codec;  // Put(Writer&, const T&), Get(Reader&, T&) → bool, Sign(std::string&)

template <class T>
void Put(Writer& w, const T& v) {
  Codec<T>::Put(w, v);
}
template <class T>
bool Get(Reader& r, T& v) {
  return Codec<T>::Get(r, v);
}
template <class T>
void Sign(std::string& s) {
  Codec<T>::Sign(s);
}

template <>
struct Codec<bool> {
  static void Put(Writer& w, bool v) { w.Byte(v ? 1 : 0); }
  static bool Get(Reader& r, bool& v) {
    std::uint8_t b = 0;
    if (!r.Byte(b) || b > 1) return r.Fail();
    v = b == 1;
    return true;
  }
  static void Sign(std::string& s) { s += 'b'; }
};

template <class T>
requires(std::is_integral_v<T> && !std::is_same_v<T, bool>) struct Codec<T> {
  static void Put(Writer& w, T v) {
    w.Fixed(static_cast<std::uint64_t>(
        static_cast<std::conditional_t<std::is_signed_v<T>, std::int64_t, std::uint64_t>>(v)));
  }
  static bool Get(Reader& r, T& v) {
    std::uint64_t u = 0;
    if (!r.Fixed(u)) return false;
    if constexpr (std::is_signed_v<T>) {
      const auto i = static_cast<std::int64_t>(u);
      if (!std::in_range<T>(i)) return r.Fail();
      v = static_cast<T>(i);
    } else {
      if (!std::in_range<T>(u)) return r.Fail();
      v = static_cast<T>(u);
    }
    return true;
  }
  static void Sign(std::string& s) {
    s += (std::is_signed_v<T> ? 'i' : 'u') + std::to_string(sizeof(T));
  }
};

template <>
struct Codec<double> {
  static void Put(Writer& w, double v) {
    std::uint64_t u = 0;
    std::memcpy(&u, &v, 8);
    w.Fixed(u);
  }
  static bool Get(Reader& r, double& v) {
    std::uint64_t u = 0;
    if (!r.Fixed(u)) return false;
    std::memcpy(&v, &u, 8);
    return true;
  }
  static void Sign(std::string& s) { s += 'd'; }
};

template <>
struct Codec<std::string> {
  static void Put(Writer& w, const std::string& v) { w.Bytes(v); }
  static bool Get(Reader& r, std::string& v) {
    std::string_view s;
    if (!r.Bytes(s)) return false;
    v.assign(s);
    return true;
  }
  static void Sign(std::string& s) { s += 's'; }
};

// JSON held inside the state (alert and timer data, MH records): its text, parsed on restore.
template <class J>
requires(std::is_same_v<J, boost::json::value> || std::is_same_v<J, boost::json::object> ||
         std::is_same_v<J, boost::json::array>) struct Codec<J> {
  static void Put(Writer& w, const J& v) { w.Bytes(boost::json::serialize(v)); }
  static bool Get(Reader& r, J& v) {
    std::string_view s;
    if (!r.Bytes(s)) return false;
    boost::system::error_code ec;
    boost::json::value parsed = boost::json::parse(s, ec);
    if (ec) return r.Fail();
    if constexpr (std::is_same_v<J, boost::json::value>) {
      v = std::move(parsed);
    } else if constexpr (std::is_same_v<J, boost::json::object>) {
      if (!parsed.is_object()) return r.Fail();
      v = std::move(parsed.get_object());
    } else {
      if (!parsed.is_array()) return r.Fail();
      v = std::move(parsed.get_array());
    }
    return true;
  }
  static void Sign(std::string& s) {
    s += std::is_same_v<J, boost::json::value>    ? "jv"
         : std::is_same_v<J, boost::json::object> ? "jo"
                                                  : "ja";
  }
};

template <class T>
struct Codec<std::optional<T>> {
  static void Put(Writer& w, const std::optional<T>& v) {
    w.Byte(v ? 1 : 0);
    if (v) snapshot::Put(w, *v);
  }
  static bool Get(Reader& r, std::optional<T>& v) {
    std::uint8_t b = 0;
    if (!r.Byte(b) || b > 1) return r.Fail();
    if (b == 0) {
      v.reset();
      return true;
    }
    return snapshot::Get(r, v.emplace());
  }
  static void Sign(std::string& s) {
    s += "o(";
    snapshot::Sign<T>(s);
    s += ')';
  }
};

template <class T>
struct Codec<std::vector<T>> {
  static void Put(Writer& w, const std::vector<T>& v) {
    w.Fixed(v.size());
    for (const T& x : v) snapshot::Put(w, x);
  }
  static bool Get(Reader& r, std::vector<T>& v) {
    std::uint64_t n = 0;
    if (!r.Count(n)) return false;
    v.clear();
    v.reserve(std::min<std::uint64_t>(n, 4096));  // a damaged count must not reserve gigabytes
    for (std::uint64_t i = 0; i < n; ++i) {
      if (!snapshot::Get(r, v.emplace_back())) return false;
    }
    return true;
  }
  static void Sign(std::string& s) {
    s += "v(";
    snapshot::Sign<T>(s);
    s += ')';
  }
};

template <class K, class V>
struct Codec<std::pair<K, V>> {
  static void Put(Writer& w, const std::pair<K, V>& v) {
    snapshot::Put(w, v.first);
    snapshot::Put(w, v.second);
  }
  static bool Get(Reader& r, std::pair<K, V>& v) {
    return snapshot::Get(r, v.first) && snapshot::Get(r, v.second);
  }
  static void Sign(std::string& s) {
    s += "p(";
    snapshot::Sign<K>(s);
    s += ',';
    snapshot::Sign<V>(s);
    s += ')';
  }
};

// Ordered containers are written in order and read back with the end as the hint, so a restore
// inserts in constant time; keys out of order or repeated mean damage.
template <class T>
struct Codec<std::set<T>> {
  static void Put(Writer& w, const std::set<T>& v) {
    w.Fixed(v.size());
    for (const T& x : v) snapshot::Put(w, x);
  }
  static bool Get(Reader& r, std::set<T>& v) {
    std::uint64_t n = 0;
    if (!r.Count(n)) return false;
    v.clear();
    for (std::uint64_t i = 0; i < n; ++i) {
      T x;
      if (!snapshot::Get(r, x)) return false;
      if (!v.empty() && !(*v.rbegin() < x)) return r.Fail();
      v.emplace_hint(v.end(), std::move(x));
    }
    return true;
  }
  static void Sign(std::string& s) {
    s += "S(";
    snapshot::Sign<T>(s);
    s += ')';
  }
};

template <class K, class V>
struct Codec<std::map<K, V>> {
  static void Put(Writer& w, const std::map<K, V>& v) {
    w.Fixed(v.size());
    for (const auto& [k, x] : v) {
      snapshot::Put(w, k);
      snapshot::Put(w, x);
    }
  }
  static bool Get(Reader& r, std::map<K, V>& v) {
    std::uint64_t n = 0;
    if (!r.Count(n)) return false;
    v.clear();
    for (std::uint64_t i = 0; i < n; ++i) {
      K k;
      if (!snapshot::Get(r, k)) return false;
      if (!v.empty() && !(v.rbegin()->first < k)) return r.Fail();
      auto it = v.emplace_hint(v.end(), std::move(k), V{});
      if (!snapshot::Get(r, it->second)) return false;
    }
    return true;
  }
  static void Sign(std::string& s) {
    s += "m(";
    snapshot::Sign<K>(s);
    s += ',';
    snapshot::Sign<V>(s);
    s += ')';
  }
};

// An indexed map is written as its ordered map; the index is built again as it is read.
template <class V>
struct Codec<IndexedMap<V>> {
  using Map = typename IndexedMap<V>::map_type;
  static void Put(Writer& w, const IndexedMap<V>& v) { Codec<Map>::Put(w, v.map()); }
  static bool Get(Reader& r, IndexedMap<V>& v) {
    Map m;
    if (!Codec<Map>::Get(r, m)) return false;
    v.Adopt(std::move(m));
    return true;
  }
  static void Sign(std::string& s) { Codec<Map>::Sign(s); }
};

// A described struct: its members in declaration order. Members not described (derived indexes)
// are not written; the state's Reindex rebuilds them.
template <class T>
requires(boost::describe::has_describe_members<T>::value && !std::is_union_v<T>) struct Codec<T> {
  using Members = boost::describe::describe_members<T, boost::describe::mod_public>;
  static void Put(Writer& w, const T& v) {
    boost::mp11::mp_for_each<Members>([&](auto m) { snapshot::Put(w, v.*m.pointer); });
  }
  static bool Get(Reader& r, T& v) {
    bool ok = true;
    boost::mp11::mp_for_each<Members>([&](auto m) { ok = ok && snapshot::Get(r, v.*m.pointer); });
    return ok;
  }
  static void Sign(std::string& s) {
    s += '{';
    boost::mp11::mp_for_each<Members>([&](auto m) {
      s += m.name;
      s += ':';
      snapshot::Sign<std::remove_cvref_t<decltype(std::declval<T&>().*m.pointer)>>(s);
      s += ';';
    });
    s += '}';
  }
};

}  // namespace concordat::snapshot
