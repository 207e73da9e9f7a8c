#include "refdata/london.hpp"

#include <boost/json.hpp>
#include <cctype>
#include <fstream>
#include <optional>
#include <sstream>

#include "core/csv.hpp"

#ifndef CONCORDAT_SOURCE_DATA_DIR
#define CONCORDAT_SOURCE_DATA_DIR "data"
#endif

namespace concordat {
namespace {

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Error::NotFound("cannot read " + path);
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Table {
  std::string file;
  CsvTable csv;
  Result<std::string> Get(const CsvRow& row, std::string_view col) const {
    const int i = csv.Column(col);
    if (i < 0) {
      return Error::InvalidArgument(file, file + ": no column " + std::string(col));
    }
    if (static_cast<size_t>(i) >= row.fields.size()) {
      return Error::InvalidArgument(file, file + " line " + std::to_string(row.line) +
                                              ": missing column " + std::string(col));
    }
    return row.fields[static_cast<size_t>(i)];
  }
};

Result<Table> LoadTable(const std::string& dir, const std::string& name) {
  auto text = ReadFile(dir + "/" + name);
  if (!text.ok()) {
    return text.error();
  }
  auto csv = ParseCsv(*text);
  if (!csv.ok()) {
    return Error::InvalidArgument(name, name + ": " + csv.error().message);
  }
  return Table{name, std::move(*csv)};
}

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) {
    out.push_back(cur);
  }
  return out;
}

Result<double> ToDouble(const std::string& s, const std::string& where) {
  try {
    size_t used = 0;
    double d = std::stod(s, &used);
    if (used != s.size()) {
      throw std::invalid_argument(s);
    }
    return d;
  } catch (const std::exception&) {
    return Error::InvalidArgument(where, where + ": not a number: '" + s + "'");
  }
}

std::string Slug(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') {
    out.pop_back();
  }
  return out.substr(0, 60);
}

std::vector<LatLon> Ring(const boost::json::array& coords) {
  std::vector<LatLon> ring;
  for (const auto& pt : coords) {
    const auto& a = pt.as_array();
    ring.push_back(LatLon{a.at(1).to_number<double>(), a.at(0).to_number<double>()});
  }
  return ring;
}

Polygon ToPolygon(const boost::json::array& rings) {
  Polygon p;
  for (size_t i = 0; i < rings.size(); ++i) {
    auto ring = Ring(rings[i].as_array());
    if (i == 0) {
      p.outer = std::move(ring);
    } else {
      p.holes.push_back(std::move(ring));
    }
  }
  return p;
}

// Reads the fields of one row. The first problem (a missing column, a field that is not a
// number) is kept and later reads give empty values, so a loader reads the whole row and checks
// once; the message names the file, the line and the column.
class RowReader {
 public:
  RowReader(const Table& table, const CsvRow& row) : table_(table), row_(row) {}

  std::string Str(std::string_view col) {
    if (error_) {
      return {};
    }
    auto v = table_.Get(row_, col);
    if (!v.ok()) {
      error_ = v.error();
      return {};
    }
    return std::move(*v);
  }
  double Num(std::string_view col) {
    const std::string text = Str(col);
    if (error_) {
      return 0;
    }
    auto d = ToDouble(text, table_.file + " line " + std::to_string(row_.line));
    if (!d.ok()) {
      error_ = d.error();
      return 0;
    }
    return *d;
  }
  LatLon Point(std::string_view lat, std::string_view lon) { return {Num(lat), Num(lon)}; }
  std::vector<std::string> List(std::string_view col) { return Split(Str(col), ';'); }
  const std::optional<Error>& error() const { return error_; }

 private:
  const Table& table_;
  const CsvRow& row_;
  std::optional<Error> error_;
};

#define CONCORDAT_TRY(var, expr) \
  auto var##_r = (expr);         \
  if (!var##_r.ok()) {           \
    return var##_r.error();      \
  }                              \
  auto var = std::move(*var##_r)

// Loads every row of `name` in `dir` with `read(RowReader&)`, which returns the row's item.
template <class T, class F>
Result<std::vector<T>> LoadRows(const std::string& dir, const std::string& name, F&& read) {
  CONCORDAT_TRY(table, LoadTable(dir, name));
  std::vector<T> out;
  for (const auto& row : table.csv.rows) {
    RowReader r(table, row);
    T item = read(r);
    if (r.error()) {
      return *r.error();
    }
    out.push_back(std::move(item));
  }
  return out;
}

Bcu ReadBcu(RowReader& r) {
  Bcu b;
  b.name = r.Str("bcu_name");
  b.code = r.Str("bcu_code_unverified");
  b.borough_codes = r.List("borough_ons_codes");
  b.population = static_cast<long>(r.Num("population_census2021"));
  b.centroid = r.Point("centroid_lat_popweighted_approx", "centroid_lon_popweighted_approx");
  return b;
}

Borough ReadBorough(RowReader& r) {
  Borough b;
  b.code = r.Str("ons_code");
  b.name = r.Str("name");
  b.force = r.Str("police_force");
  b.bcu_code = r.Str("met_bcu_code_unverified");
  b.inner_outer = r.Str("inner_outer_ons");
  b.mh_trust_2021 = r.Str("mh_trust_2021");
  b.mh_trust_current = r.Str("mh_trust_current");
  b.centroid = r.Point("centroid_lat", "centroid_lon");
  b.population = static_cast<long>(r.Num("population_census2021"));
  return b;
}

Agency ReadAgency(RowReader& r) {
  Agency a;
  a.id = r.Str("id");
  a.kind = r.Str("kind");
  a.name = r.Str("name");
  a.ods_code = r.Str("ods_code");
  a.partnership = r.Str("partnership");
  a.boroughs = r.List("boroughs");
  a.status = r.Str("status");
  a.merged_into = r.Str("merged_into");
  a.merged_on = r.Str("merged_on");
  a.aliases = r.List("aliases");
  return a;
}

PlaceOfSafetySite ReadPlaceOfSafety(RowReader& r) {
  PlaceOfSafetySite s;
  s.name = r.Str("site");
  s.host_hospital = r.Str("host_hospital");
  s.id = "pos-" + Slug(s.host_hospital);
  s.trust = r.Str("mh_trust");
  s.borough = r.Str("borough");
  s.boroughs_served = r.List("boroughs_served");
  s.capacity_text = r.Str("capacity");
  const std::string& cap = s.capacity_text;
  if (!cap.empty() && std::isdigit(static_cast<unsigned char>(cap[0]))) {
    s.suites = std::atoi(cap.c_str());
  }
  s.hours = r.Str("hours");
  s.status_note = r.Str("status_note");
  std::string lower;
  for (char c : s.status_note) {
    lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  s.open = lower.find("closed") == std::string::npos && lower.find("historic") == std::string::npos;
  s.location = r.Point("lat", "lon");
  s.postcode = r.Str("postcode");
  return s;
}

EmergencyDepartment ReadEmergencyDepartment(RowReader& r) {
  EmergencyDepartment ed;
  ed.ods_code = r.Str("ods_site_code");
  ed.hospital = r.Str("hospital");
  ed.trust = r.Str("acute_trust");
  ed.borough = r.Str("borough");
  ed.ed_type = r.Str("ed_type");
  ed.location = r.Point("lat", "lon");
  ed.postcode = r.Str("postcode");
  return ed;
}

Status LoadBoundaries(const std::string& dir, RefData& ref) {
  CONCORDAT_TRY(geo_text, ReadFile(dir + "/london_boroughs_lad2021.geojson"));
  try {
    auto geo = boost::json::parse(geo_text);
    for (const auto& f : geo.at("features").as_array()) {
      const std::string code(f.at("properties").at("LAD21CD").as_string());
      Borough* b = nullptr;
      for (auto& cand : ref.boroughs) {
        if (cand.code == code) {
          b = &cand;
        }
      }
      if (b == nullptr) {
        return Error::InvalidArgument("geojson", "boundary for unknown borough " + code);
      }
      const auto& g = f.at("geometry");
      const std::string type(g.at("type").as_string());
      if (type == "Polygon") {
        b->boundary.push_back(ToPolygon(g.at("coordinates").as_array()));
      } else if (type == "MultiPolygon") {
        for (const auto& p : g.at("coordinates").as_array()) {
          b->boundary.push_back(ToPolygon(p.as_array()));
        }
      }
      for (const auto& poly : b->boundary) {
        for (const auto& pt : poly.outer) {
          b->bbox.Extend(pt);
        }
      }
    }
  } catch (const std::exception& e) {
    return Error::InvalidArgument("geojson",
                                  std::string("london_boroughs_lad2021.geojson: ") + e.what());
  }
  ref.boundaries_geojson = std::move(geo_text);
  return OkStatus();
}

}  // namespace

std::string DefaultDataDir() { return CONCORDAT_SOURCE_DATA_DIR; }

Result<RefData> LoadLondonRefData(const std::string& dir) {
  RefData ref;
  CONCORDAT_TRY(bcus, LoadRows<Bcu>(dir, "met_bcus.csv", ReadBcu));
  ref.bcus = std::move(bcus);

  CONCORDAT_TRY(boroughs, LoadRows<Borough>(dir, "london_boroughs.csv", ReadBorough));
  ref.boroughs = std::move(boroughs);

  if (auto st = LoadBoundaries(dir, ref); !st.ok()) {
    return st.error();
  }

  CONCORDAT_TRY(places,
                LoadRows<PlaceOfSafetySite>(dir, "london_hbpos_s136_sites.csv", ReadPlaceOfSafety));
  ref.places_of_safety = std::move(places);

  CONCORDAT_TRY(eds, LoadRows<EmergencyDepartment>(dir, "london_emergency_departments.csv",
                                                   ReadEmergencyDepartment));
  ref.emergency_departments = std::move(eds);

  CONCORDAT_TRY(agencies, LoadRows<Agency>(dir, "agencies.csv", ReadAgency));
  ref.agencies = std::move(agencies);
  ref.ComputeNeighbours();
  return ref;
}

}  // namespace concordat
