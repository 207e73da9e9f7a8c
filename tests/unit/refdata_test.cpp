#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "refdata/london.hpp"

namespace concordat {
namespace {

const RefData& London() {
  static const RefData ref = [] {
    auto r = LoadLondonRefData(DefaultDataDir() + "/refdata/london");
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : RefData{};
  }();
  return ref;
}

TEST(RefData, LoadsTheLondonOrganisation) {
  const auto& ref = London();
  EXPECT_EQ(ref.bcus.size(), 12u);
  EXPECT_EQ(ref.boroughs.size(), 33u);
  EXPECT_EQ(ref.places_of_safety.size(), 16u);
  EXPECT_EQ(ref.emergency_departments.size(), 28u);
  size_t met = 0;
  for (const auto& b : ref.boroughs) {
    EXPECT_FALSE(b.boundary.empty()) << b.name;
    met += b.bcu_code.empty() ? 0 : 1;
  }
  EXPECT_EQ(met, 32u);  // the City of London is another force
}

TEST(RefData, PointToBoroughToBcu) {
  const auto& ref = London();
  const Borough* b = ref.BoroughAt({51.501, -0.142});  // near Buckingham Palace
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->code, "E09000033");
  EXPECT_EQ(b->name, "Westminster");
  EXPECT_EQ(b->bcu_code, "AW");
  EXPECT_EQ(ref.FindBcu("AW")->name, "Central West");
  const Borough* croydon = ref.BoroughAt({51.3727, -0.1099});
  ASSERT_NE(croydon, nullptr);
  EXPECT_EQ(croydon->name, "Croydon");
}

TEST(RefData, OutsideLondonAndTheCity) {
  const auto& ref = London();
  EXPECT_EQ(ref.BoroughAt({50.8225, -0.1372}), nullptr);    // Brighton
  const Borough* city = ref.BoroughAt({51.5155, -0.0922});  // Guildhall
  ASSERT_NE(city, nullptr);
  EXPECT_EQ(city->name, "City of London");
  EXPECT_TRUE(city->bcu_code.empty());
}

TEST(RefData, NeighbouringBcus) {
  const auto& ref = London();
  auto n = ref.NeighbourBcus("AW");
  EXPECT_FALSE(n.empty());
  EXPECT_NE(std::find(n.begin(), n.end(), "CN"), n.end());  // Westminster touches Camden
}

TEST(RefData, MissingFolderIsAClearError) {
  auto r = LoadLondonRefData("/nonexistent");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("met_bcus.csv"), std::string::npos);
}

// A copy of the reference data with one file changed by `edit`, in a fresh temporary folder.
std::string CopyWithEdit(const std::string& file,
                         const std::function<std::string(std::string)>& edit) {
  namespace fs = std::filesystem;
  const fs::path dir =
      fs::temp_directory_path() / ("concordat-refdata-" + std::to_string(::getpid()) + "-" + file);
  fs::remove_all(dir);
  fs::copy(DefaultDataDir() + "/refdata/london", dir, fs::copy_options::recursive);
  std::ifstream in(dir / file);
  std::stringstream text;
  text << in.rdbuf();
  in.close();
  std::ofstream(dir / file, std::ios::trunc) << edit(text.str());
  return dir.string();
}

TEST(RefData, ABadNumberNamesTheFileAndLine) {
  // Line 3 (the second data row) gets a latitude that is not a number.
  const auto dir = CopyWithEdit("london_emergency_departments.csv", [](std::string t) {
    const auto row2 = t.find('\n', t.find('\n') + 1) + 1;
    const auto lat = t.find(",51.", row2);
    return t.replace(lat + 1, 3, "fifty-one");
  });
  auto r = LoadLondonRefData(dir);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("london_emergency_departments.csv line 3"), std::string::npos)
      << r.error().message;
  EXPECT_NE(r.error().message.find("not a number"), std::string::npos) << r.error().message;
  std::filesystem::remove_all(dir);
}

TEST(RefData, AMissingColumnIsNamed) {
  const auto dir = CopyWithEdit(
      "agencies.csv", [](std::string t) { return t.replace(t.find("ods_code"), 8, "ods_kode"); });
  auto r = LoadLondonRefData(dir);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("agencies.csv: no column ods_code"), std::string::npos)
      << r.error().message;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace concordat
