// Mapping TOML and row mapping for the calls importer (see calls_import.hpp).
#include <toml++/toml.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <sstream>

#include "core/cad.hpp"
#include "core/csv.hpp"
#include "interop/calls_import.hpp"

namespace concordat::interop {
namespace {

std::string Str(const toml::table& t, std::string_view key) {
  return t[key].value_or(std::string{});
}

// A key the mapping does not know is a mistake to name, not to ignore: a misspelt "adress"
// would otherwise leave every row without an address, and the rows would be blamed.
Status OnlyKnownKeys(const toml::table& t, std::string_view where,
                     std::initializer_list<std::string_view> known) {
  for (const auto& [k, v] : t) {
    if (std::find(known.begin(), known.end(), k.str()) != known.end()) continue;
    std::string list;
    for (auto n : known) list += (list.empty() ? "" : ", ") + std::string(n);
    const std::string field =
        where.empty() ? std::string(k.str()) : std::string(where) + "." + std::string(k.str());
    return Error::InvalidArgument(field, "unknown key \"" + std::string(k.str()) + "\"" +
                                             (where.empty() ? "" : " in " + std::string(where)) +
                                             "; the keys are " + list);
  }
  return OkStatus();
}

// Flags and type codes are checked here, before any row is mapped, so that a misspelt flag in
// the mapping stops the whole import rather than refusing rows half-way through it.
Result<TypeRule> ReadRule(const toml::table& t, std::string match, bool prefix,
                          std::string_view where) {
  if (auto st = OnlyKnownKeys(
          t, where,
          prefix && where == "prefixes"
              ? std::initializer_list<std::string_view>{"prefix", "type", "grade", "flags"}
              : std::initializer_list<std::string_view>{"type", "grade", "flags"});
      !st.ok()) {
    return st.error();
  }
  TypeRule r{std::move(match), prefix, Str(t, "type"), Str(t, "grade"), {}};
  const std::string name = where == "default" ? "[default]" : "\"" + r.match + "\"";
  if (r.type.empty() || r.grade.empty()) {
    return Error::InvalidArgument(std::string(where), name + " needs both type and grade");
  }
  if (!IsIncidentTypeCode(r.type)) {
    return Error::InvalidArgument(
        std::string(where),
        name + ": type \"" + r.type + "\" must be a lower-case code such as mental_health");
  }
  if (const auto* flags = t["flags"].as_array()) {
    for (const auto& f : *flags) {
      auto v = f.value<std::string>();
      if (!v || !IsIncidentFlag(*v)) {
        return Error::InvalidArgument(
            std::string(where), name + ": unknown flag " + (v ? "\"" + *v + "\"" : "(not text)") +
                                    "; flags are " + IncidentFlagList());
      }
      r.flags.push_back(*v);
    }
  }
  return r;
}

std::string Trim(std::string s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  const auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

// The few HTML entities the Berkeley export carries.
std::string Unescape(std::string s) {
  static const std::pair<const char*, const char*> kEntities[] = {
      {"&amp;", "&"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&lt;", "<"}, {"&gt;", ">"}};
  for (const auto& [from, to] : kEntities) {
    for (auto p = s.find(from); p != std::string::npos; p = s.find(from, p + 1)) {
      s.replace(p, std::string_view(from).size(), to);
    }
  }
  return s;
}

std::optional<double> Number(std::string_view s) {
  double v = 0;
  const auto* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), end, v);
  if (ec != std::errc{} || p != end) return std::nullopt;
  return v;
}

}  // namespace

Result<Mapping> ParseMapping(std::string_view toml_text) {
  toml::table t;
  try {
    t = toml::parse(toml_text);
  } catch (const toml::parse_error& e) {
    std::ostringstream os;
    os << e.description() << " (line " << e.source().begin.line << ")";
    return Error::InvalidArgument("mapping", os.str());
  }
  if (auto st = OnlyKnownKeys(
          t, "", {"source", "timezone", "channel", "columns", "types", "prefixes", "default"});
      !st.ok()) {
    return st.error();
  }
  Mapping m;
  m.source = Str(t, "source");
  auto zone = FindZone(t["timezone"].value_or(std::string{}));
  if (!zone.ok()) return zone.error();
  m.zone = *zone;
  if (auto ch = t["channel"].value<std::string>()) m.channel = *ch;
  const auto* cols = t["columns"].as_table();
  if (cols == nullptr) return Error::InvalidArgument("columns", "the [columns] table is missing");
  if (auto st = OnlyKnownKeys(*cols, "columns",
                              {"date", "date_format", "time", "time_format", "type", "address",
                               "address_extra", "lat", "lon", "coords", "reference"});
      !st.ok()) {
    return st.error();
  }
  m.date_column = Str(*cols, "date");
  m.date_format = Str(*cols, "date_format");
  m.time_column = Str(*cols, "time");
  m.time_format = Str(*cols, "time_format");
  m.type_column = Str(*cols, "type");
  m.address_column = Str(*cols, "address");
  if (const auto* extra = (*cols)["address_extra"].as_array()) {
    for (const auto& e : *extra) {
      if (auto v = e.value<std::string>()) m.address_extra_columns.push_back(*v);
    }
  }
  m.lat_column = Str(*cols, "lat");
  m.lon_column = Str(*cols, "lon");
  m.coords_column = Str(*cols, "coords");
  m.reference_column = Str(*cols, "reference");
  if (m.date_column.empty() || m.date_format.empty()) {
    return Error::InvalidArgument("columns.date", "columns.date and columns.date_format are required");
  }
  if (m.time_column.empty() != m.time_format.empty()) {
    return Error::InvalidArgument("columns.time", "give both columns.time and columns.time_format");
  }
  if (m.type_column.empty()) return Error::InvalidArgument("columns.type", "columns.type is required");
  if (m.lat_column.empty() != m.lon_column.empty()) {
    return Error::InvalidArgument("columns.lat", "give both columns.lat and columns.lon, or neither");
  }
  if (const auto* types = t["types"].as_table()) {
    for (const auto& [k, v] : *types) {
      if (!v.is_table()) return Error::InvalidArgument("types", "each type maps to a table");
      auto r = ReadRule(*v.as_table(), std::string(k.str()), false, "types");
      if (!r.ok()) return r.error();
      m.rules.push_back(std::move(*r));
    }
  }
  if (const auto* prefixes = t["prefixes"].as_array()) {
    for (const auto& p : *prefixes) {
      if (!p.is_table()) return Error::InvalidArgument("prefixes", "each prefix is a table");
      auto r = ReadRule(*p.as_table(), Str(*p.as_table(), "prefix"), true, "prefixes");
      if (!r.ok()) return r.error();
      m.rules.push_back(std::move(*r));
    }
  }
  if (const auto* def = t["default"].as_table()) {
    auto r = ReadRule(*def, "", true, "default");
    if (!r.ok()) return r.error();
    m.fallback = std::move(*r);
  }
  return m;
}

Result<MappedFile> MapCalls(std::string_view csv_text, const Mapping& m) {
  auto records = ParseCsv(csv_text);
  if (!records.ok()) return records.error();
  if (records->empty()) return Error::InvalidArgument("csv", "the file has no header");
  std::map<std::string, std::size_t> index;
  const auto& header = records->front().fields;
  for (std::size_t i = 0; i < header.size(); ++i) index[Trim(header[i])] = i;
  auto col = [&](const std::string& name) -> Result<std::size_t> {
    auto it = index.find(name);
    if (it == index.end()) {
      return Error::InvalidArgument("csv", "the header has no column \"" + name + "\"");
    }
    return it->second;
  };
  auto need = [&](const std::string& name) -> Result<std::optional<std::size_t>> {
    if (name.empty()) return std::optional<std::size_t>{};
    auto c = col(name);
    if (!c.ok()) return c.error();
    return std::optional<std::size_t>{*c};
  };
  std::optional<std::size_t> c_date, c_time, c_type, c_addr, c_lat, c_lon, c_coords, c_ref;
  std::vector<std::size_t> c_extra;
  for (auto [name, slot] : {std::pair{&m.date_column, &c_date}, {&m.time_column, &c_time},
                            {&m.type_column, &c_type}, {&m.address_column, &c_addr},
                            {&m.lat_column, &c_lat}, {&m.lon_column, &c_lon},
                            {&m.coords_column, &c_coords}, {&m.reference_column, &c_ref}}) {
    auto c = need(*name);
    if (!c.ok()) return c.error();
    *slot = *c;
  }
  for (const auto& e : m.address_extra_columns) {
    auto c = col(e);
    if (!c.ok()) return c.error();
    c_extra.push_back(*c);
  }
  // The columns whose text reaches an incident (the others are never read).
  std::vector<std::size_t> c_used = c_extra;
  for (const auto& c : {c_date, c_time, c_type, c_addr, c_lat, c_lon, c_coords, c_ref}) {
    if (c) c_used.push_back(*c);
  }
  std::map<std::string, const TypeRule*, std::less<>> exact;
  for (const auto& r : m.rules) {
    if (!r.prefix) exact[r.match] = &r;
  }

  MappedFile out;
  for (std::size_t k = 1; k < records->size(); ++k) {
    const CsvRecord& rec = (*records)[k];
    ++out.records;
    auto bad = [&](std::string why) { out.bad.push_back({rec.line, std::move(why)}); };
    if (rec.fields.size() != header.size()) {
      bad("expected " + std::to_string(header.size()) + " fields, found " +
          std::to_string(rec.fields.size()));
      continue;
    }
    // Text that is not UTF-8 (a file saved as Windows-1252, say) could not be read back from
    // the log: the row is refused, naming the column.
    std::string not_utf8;
    for (const std::size_t c : c_used) {
      if (FirstInvalidUtf8(rec.fields[c]) != std::string_view::npos) {
        not_utf8 = header[c];
        break;
      }
    }
    if (!not_utf8.empty()) {
      bad(not_utf8 + ": not UTF-8 text; save the file as UTF-8");
      continue;
    }
    auto field = [&](std::optional<std::size_t> c) {
      return c ? Trim(Unescape(rec.fields[*c])) : std::string{};
    };
    // Received time.
    auto date = ParseLocal(field(c_date), m.date_format);
    if (!date.ok()) { bad(m.date_column + ": " + date.error().message); continue; }
    if (!date->date) { bad(m.date_column + ": the pattern gives no date"); continue; }
    CivilTime local{*date->date, date->hour.value_or(0), date->minute.value_or(0),
                    date->second.value_or(0), 0};
    if (c_time) {
      auto tod = ParseLocal(field(c_time), m.time_format);
      if (!tod.ok()) { bad(m.time_column + ": " + tod.error().message); continue; }
      local.hour = tod->hour.value_or(0);
      local.minute = tod->minute.value_or(0);
      local.second = tod->second.value_or(0);
    }
    auto received = LocalToUtc(local, m.zone);
    if (!received.ok()) { bad(received.error().message); continue; }
    // Type and grade.
    const std::string source_type = field(c_type);
    const TypeRule* rule = nullptr;
    if (auto it = exact.find(source_type); it != exact.end()) rule = it->second;
    for (const auto& r : m.rules) {
      if (rule != nullptr) break;
      if (r.prefix && source_type.starts_with(r.match)) rule = &r;
    }
    if (rule == nullptr && m.fallback) rule = &*m.fallback;
    if (rule == nullptr) { bad("type \"" + source_type + "\" is not in the mapping"); continue; }
    // Location.
    std::string address = field(c_addr);
    for (auto c : c_extra) {
      const std::string extra = field(c);
      if (!extra.empty()) address += (address.empty() ? "" : ", ") + extra;
    }
    std::optional<double> lat, lon;
    if (c_lat && !field(c_lat).empty() && !field(c_lon).empty()) {
      lat = Number(field(c_lat));
      lon = Number(field(c_lon));
      if (!lat || !lon || *lat < -90 || *lat > 90 || *lon < -180 || *lon > 180) {
        bad("coordinates \"" + field(c_lat) + ", " + field(c_lon) + "\" are not valid");
        continue;
      }
    } else if (c_coords) {
      const std::string text = field(c_coords);
      const auto open = text.rfind('('), comma = text.rfind(','), close = text.rfind(')');
      if (open != std::string::npos && comma != std::string::npos && close != std::string::npos &&
          open < comma && comma < close) {
        lat = Number(Trim(text.substr(open + 1, comma - open - 1)));
        lon = Number(Trim(text.substr(comma + 1, close - comma - 1)));
        if (!lat || !lon) lat = lon = std::nullopt;
      }
    }
    if (!lat && address.empty()) { bad("no coordinates and no address"); continue; }
    if (address.size() > 500) { bad("address longer than 500 characters"); continue; }
    boost::json::object location{{"address", address}};
    if (lat) {
      location["lat"] = *lat;
      location["lon"] = *lon;
    }
    std::string description = source_type;
    if (c_ref && !field(c_ref).empty()) description += " (source ref " + field(c_ref) + ")";
    if (!m.source.empty()) description += " [" + m.source + "]";
    boost::json::array flags;
    for (const auto& f : rule->flags) flags.emplace_back(f);
    boost::json::object body{{"channel", m.channel},
                             {"received_at", FormatIso(*received)},
                             {"type", rule->type},
                             {"grade", rule->grade},
                             {"location", std::move(location)},
                             {"flags", std::move(flags)},
                             {"description", description.substr(0, 4000)}};
    out.rows.push_back({rec.line, *received, lat.has_value(), std::move(body), RecordContent(rec)});
  }
  return out;
}

}  // namespace concordat::interop
