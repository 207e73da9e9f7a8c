// JSON text for people and browsers: the same document Boost.JSON would write, but numbers in
// their shortest plain form ("0.8", "51.50081", "1e+21" only when needed) rather than Boost 1.81's
// "8E-1". Used for API responses and stream messages; the event log keeps Boost's own canonical
// form, which the hash chain depends on.
#pragma once

#include <boost/json/value.hpp>
#include <string>

namespace concordat {

std::string JsonText(const boost::json::value& v);
void AppendJsonText(std::string& out, const boost::json::value& v);

}  // namespace concordat
