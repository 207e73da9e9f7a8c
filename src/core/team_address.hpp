// Normalising what people type about persons, so that repeat addresses and possible matches are
// found however they were written. Pure functions.
//
//   NormaliseAddress("Flat 3, 12 High St, London e16an") == "3/12 HIGH STREET E1 6AN"
//   NormaliseAddress("3 / 12 high street E1 6AN")        == "3/12 HIGH STREET E1 6AN"
#pragma once

#include <string>
#include <string_view>

namespace concordat {

// The address's key: upper case; punctuation dropped; flat forms ("Flat 3, 12", "Apartment 3 12",
// "3 / 12", "12 High St Flat 3") folded to "3/12"; street types expanded ("St" after a word →
// STREET, before one → SAINT; RD, AVE, LN, ...); a UK postcode recognised and spaced
// ("E16AN" → "E1 6AN"); a trailing "LONDON" or "UK" dropped. "" for an empty address.
std::string NormaliseAddress(std::string_view text);

// The postcode in an address key, or "".
std::string PostcodeOf(std::string_view address_key);

// Name key: upper-case letters and spaces, titles (MR, MRS, MS, MISS, DR, MX) dropped.
std::string NormaliseName(std::string_view name);
// Phone key: digits only, +44/0044 → 0. "" when fewer than 6 digits.
std::string NormalisePhone(std::string_view phone);

// How similar two name keys are: "same" (equal), "similar" (same surname and first initial, or
// at most two letters different), or "" (different).
std::string NameSimilarity(std::string_view a, std::string_view b);

}  // namespace concordat
