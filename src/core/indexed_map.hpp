// An ordered map of string ids with a hash index beside it, for the state's largest maps
// (incidents, units). The order is the map's (views, reports and the snapshot's runs read it);
// finding one id goes through the index: a hash and one or two cache misses instead of a walk of
// some twenty tree nodes, each a likely miss, which in the simulator's profile was most of the
// string compares of the whole writer (docs/PERFORMANCE.md, session 20).
//
// The index holds the map's own iterators, which std::map never invalidates but by erasing that
// element; its keys are views of the map's keys. A copy rebuilds it; a move carries it with the
// nodes. Only the members below change the map, so the two cannot drift apart.
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace concordat {

template <class V>
class IndexedMap {
 public:
  using map_type = std::map<std::string, V>;
  using key_type = std::string;
  using mapped_type = V;
  using value_type = typename map_type::value_type;
  using iterator = typename map_type::iterator;
  using const_iterator = typename map_type::const_iterator;
  using size_type = typename map_type::size_type;

  IndexedMap() = default;
  IndexedMap(const IndexedMap& o) : map_(o.map_) { Rebuild(); }
  IndexedMap(IndexedMap&& o) noexcept : map_(std::move(o.map_)), index_(std::move(o.index_)) {
    o.map_.clear();
    o.index_.clear();
  }
  IndexedMap& operator=(const IndexedMap& o) {
    if (this != &o) {
      map_ = o.map_;
      Rebuild();
    }
    return *this;
  }
  IndexedMap& operator=(IndexedMap&& o) noexcept {
    if (this != &o) {
      index_ = std::move(o.index_);
      map_ = std::move(o.map_);
      o.map_.clear();
      o.index_.clear();
    }
    return *this;
  }

  // The ordered map itself, read-only; Adopt replaces it whole (a snapshot's restore).
  const map_type& map() const { return map_; }
  void Adopt(map_type&& m) {
    map_ = std::move(m);
    Rebuild();
  }

  iterator begin() { return map_.begin(); }
  iterator end() { return map_.end(); }
  const_iterator begin() const { return map_.begin(); }
  const_iterator end() const { return map_.end(); }
  auto rbegin() { return map_.rbegin(); }
  auto rend() { return map_.rend(); }
  auto rbegin() const { return map_.rbegin(); }
  auto rend() const { return map_.rend(); }
  size_type size() const { return map_.size(); }
  bool empty() const { return map_.empty(); }

  iterator find(std::string_view id) {
    auto it = index_.find(id);
    return it == index_.end() ? map_.end() : it->second;
  }
  const_iterator find(std::string_view id) const {
    auto it = index_.find(id);
    return it == index_.end() ? map_.end() : const_iterator(it->second);
  }
  bool contains(std::string_view id) const { return index_.contains(id); }
  size_type count(std::string_view id) const { return index_.count(id); }
  V& at(std::string_view id) { return Found(find(id))->second; }
  const V& at(std::string_view id) const { return Found(find(id))->second; }

  V& operator[](const std::string& id) { return try_emplace(id).first->second; }
  V& operator[](std::string&& id) { return try_emplace(std::move(id)).first->second; }

  // The id is new once the index has not found it. The map is given its end as the hint: an id
  // made after every other ("inc-10233" after "inc-10232") goes there after one compare instead
  // of a walk from the root; any other id costs that one compare more than a plain insert.
  template <class K, class... Args>
  std::pair<iterator, bool> try_emplace(K&& id, Args&&... args) {
    if (auto it = find(id); it != map_.end()) return {it, false};
    auto it = map_.try_emplace(map_.end(), std::forward<K>(id), std::forward<Args>(args)...);
    index_.emplace(std::string_view(it->first), it);
    return {it, true};
  }
  template <class... Args>
  std::pair<iterator, bool> emplace(Args&&... args) {
    auto [it, added] = map_.emplace(std::forward<Args>(args)...);
    if (added) index_.emplace(std::string_view(it->first), it);
    return {it, added};
  }
  std::pair<iterator, bool> insert(value_type v) { return emplace(std::move(v)); }
  // For std::inserter (Boost.JSON's value_to): the hint is not needed.
  iterator insert(const_iterator, value_type v) { return emplace(std::move(v)).first; }

  iterator erase(iterator it) {
    index_.erase(std::string_view(it->first));
    return map_.erase(it);
  }
  size_type erase(std::string_view id) {
    auto it = find(id);
    if (it == map_.end()) return 0;
    erase(it);
    return 1;
  }
  void clear() {
    index_.clear();
    map_.clear();
  }

  friend iterator begin(IndexedMap& m) { return m.begin(); }
  friend iterator end(IndexedMap& m) { return m.end(); }
  friend const_iterator begin(const IndexedMap& m) { return m.begin(); }
  friend const_iterator end(const IndexedMap& m) { return m.end(); }
  friend bool operator==(const IndexedMap& a, const IndexedMap& b) { return a.map_ == b.map_; }

 private:
  template <class It>
  It Found(It it) const {
    if (it == map_.end()) throw std::out_of_range("IndexedMap::at: no such id");
    return it;
  }
  void Rebuild() {
    index_.clear();
    index_.reserve(map_.size());
    for (auto it = map_.begin(); it != map_.end(); ++it) {
      index_.emplace(std::string_view(it->first), it);
    }
  }

  map_type map_;
  std::unordered_map<std::string_view, iterator> index_;
};

}  // namespace concordat
