#include "refdata/london.hpp"

#include <boost/json.hpp>
#include <cctype>
#include <fstream>
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

#define CONCORDAT_TRY(var, expr)  \
  auto var##_r = (expr);          \
  if (!var##_r.ok()) {            \
    return var##_r.error();       \
  }                               \
  auto var = std::move(*var##_r)

}  // namespace

std::string DefaultDataDir() { return CONCORDAT_SOURCE_DATA_DIR; }

Result<RefData> LoadLondonRefData(const std::string& dir) {
  RefData ref;
  CONCORDAT_TRY(bcus, LoadTable(dir, "met_bcus.csv"));
  for (const auto& row : bcus.csv.rows) {
    Bcu b;
    CONCORDAT_TRY(name, bcus.Get(row, "bcu_name"));
    CONCORDAT_TRY(code, bcus.Get(row, "bcu_code_unverified"));
    CONCORDAT_TRY(codes, bcus.Get(row, "borough_ons_codes"));
    CONCORDAT_TRY(pop, bcus.Get(row, "population_census2021"));
    CONCORDAT_TRY(lat, bcus.Get(row, "centroid_lat_popweighted_approx"));
    CONCORDAT_TRY(lon, bcus.Get(row, "centroid_lon_popweighted_approx"));
    const std::string where = "met_bcus.csv line " + std::to_string(row.line);
    CONCORDAT_TRY(plat, ToDouble(lat, where));
    CONCORDAT_TRY(plon, ToDouble(lon, where));
    CONCORDAT_TRY(ppop, ToDouble(pop, where));
    b.name = name;
    b.code = code;
    b.borough_codes = Split(codes, ';');
    b.population = static_cast<long>(ppop);
    b.centroid = {plat, plon};
    ref.bcus.push_back(std::move(b));
  }

  CONCORDAT_TRY(boroughs, LoadTable(dir, "london_boroughs.csv"));
  for (const auto& row : boroughs.csv.rows) {
    Borough b;
    const std::string where = "london_boroughs.csv line " + std::to_string(row.line);
    CONCORDAT_TRY(code, boroughs.Get(row, "ons_code"));
    CONCORDAT_TRY(name, boroughs.Get(row, "name"));
    CONCORDAT_TRY(force, boroughs.Get(row, "police_force"));
    CONCORDAT_TRY(bcu, boroughs.Get(row, "met_bcu_code_unverified"));
    CONCORDAT_TRY(io, boroughs.Get(row, "inner_outer_ons"));
    CONCORDAT_TRY(t21, boroughs.Get(row, "mh_trust_2021"));
    CONCORDAT_TRY(tnow, boroughs.Get(row, "mh_trust_current"));
    CONCORDAT_TRY(lat, boroughs.Get(row, "centroid_lat"));
    CONCORDAT_TRY(lon, boroughs.Get(row, "centroid_lon"));
    CONCORDAT_TRY(pop, boroughs.Get(row, "population_census2021"));
    CONCORDAT_TRY(plat, ToDouble(lat, where));
    CONCORDAT_TRY(plon, ToDouble(lon, where));
    CONCORDAT_TRY(ppop, ToDouble(pop, where));
    b.code = code;
    b.name = name;
    b.force = force;
    b.bcu_code = bcu;
    b.inner_outer = io;
    b.mh_trust_2021 = t21;
    b.mh_trust_current = tnow;
    b.centroid = {plat, plon};
    b.population = static_cast<long>(ppop);
    ref.boroughs.push_back(std::move(b));
  }

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

  CONCORDAT_TRY(pos, LoadTable(dir, "london_hbpos_s136_sites.csv"));
  for (const auto& row : pos.csv.rows) {
    PlaceOfSafetySite s;
    const std::string where = "london_hbpos_s136_sites.csv line " + std::to_string(row.line);
    CONCORDAT_TRY(site, pos.Get(row, "site"));
    CONCORDAT_TRY(host, pos.Get(row, "host_hospital"));
    CONCORDAT_TRY(trust, pos.Get(row, "mh_trust"));
    CONCORDAT_TRY(borough, pos.Get(row, "borough"));
    CONCORDAT_TRY(served, pos.Get(row, "boroughs_served"));
    CONCORDAT_TRY(cap, pos.Get(row, "capacity"));
    CONCORDAT_TRY(hours, pos.Get(row, "hours"));
    CONCORDAT_TRY(note, pos.Get(row, "status_note"));
    CONCORDAT_TRY(lat, pos.Get(row, "lat"));
    CONCORDAT_TRY(lon, pos.Get(row, "lon"));
    CONCORDAT_TRY(pc, pos.Get(row, "postcode"));
    CONCORDAT_TRY(plat, ToDouble(lat, where));
    CONCORDAT_TRY(plon, ToDouble(lon, where));
    s.name = site;
    s.host_hospital = host;
    s.id = "pos-" + Slug(host);
    s.trust = trust;
    s.borough = borough;
    s.boroughs_served = Split(served, ';');
    s.capacity_text = cap;
    if (!cap.empty() && std::isdigit(static_cast<unsigned char>(cap[0]))) {
      s.suites = std::atoi(cap.c_str());
    }
    s.hours = hours;
    s.status_note = note;
    std::string lower;
    for (char c : note) {
      lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    s.open = lower.find("closed") == std::string::npos &&
             lower.find("historic") == std::string::npos;
    s.location = {plat, plon};
    s.postcode = pc;
    ref.places_of_safety.push_back(std::move(s));
  }

  CONCORDAT_TRY(eds, LoadTable(dir, "london_emergency_departments.csv"));
  for (const auto& row : eds.csv.rows) {
    EmergencyDepartment ed;
    const std::string where = "london_emergency_departments.csv line " + std::to_string(row.line);
    CONCORDAT_TRY(ods, eds.Get(row, "ods_site_code"));
    CONCORDAT_TRY(hosp, eds.Get(row, "hospital"));
    CONCORDAT_TRY(trust, eds.Get(row, "acute_trust"));
    CONCORDAT_TRY(borough, eds.Get(row, "borough"));
    CONCORDAT_TRY(type, eds.Get(row, "ed_type"));
    CONCORDAT_TRY(lat, eds.Get(row, "lat"));
    CONCORDAT_TRY(lon, eds.Get(row, "lon"));
    CONCORDAT_TRY(pc, eds.Get(row, "postcode"));
    CONCORDAT_TRY(plat, ToDouble(lat, where));
    CONCORDAT_TRY(plon, ToDouble(lon, where));
    ed.ods_code = ods;
    ed.hospital = hosp;
    ed.trust = trust;
    ed.borough = borough;
    ed.ed_type = type;
    ed.location = {plat, plon};
    ed.postcode = pc;
    ref.emergency_departments.push_back(std::move(ed));
  }
  CONCORDAT_TRY(agencies, LoadTable(dir, "agencies.csv"));
  for (const auto& row : agencies.csv.rows) {
    Agency a;
    CONCORDAT_TRY(id, agencies.Get(row, "id"));
    CONCORDAT_TRY(kind, agencies.Get(row, "kind"));
    CONCORDAT_TRY(name, agencies.Get(row, "name"));
    CONCORDAT_TRY(ods, agencies.Get(row, "ods_code"));
    CONCORDAT_TRY(partnership, agencies.Get(row, "partnership"));
    CONCORDAT_TRY(boroughs, agencies.Get(row, "boroughs"));
    CONCORDAT_TRY(status, agencies.Get(row, "status"));
    CONCORDAT_TRY(into, agencies.Get(row, "merged_into"));
    CONCORDAT_TRY(on, agencies.Get(row, "merged_on"));
    CONCORDAT_TRY(aliases, agencies.Get(row, "aliases"));
    a.id = id;
    a.kind = kind;
    a.name = name;
    a.ods_code = ods;
    a.partnership = partnership;
    a.boroughs = Split(boroughs, ';');
    a.status = status;
    a.merged_into = into;
    a.merged_on = on;
    a.aliases = Split(aliases, ';');
    ref.agencies.push_back(std::move(a));
  }
  ref.ComputeNeighbours();
  return ref;
}

}  // namespace concordat
