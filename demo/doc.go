// Package demo seeds a realistic, fictional 仲間まわし network into an empty
// store: about forty job shops in Tokyo's Ota ward (turning, milling,
// machining centres, grinding, EDM, sheet metal, welding, heat treatment,
// plating, anodizing, painting, inspection, assembly), regional partners in
// Hitachi (茨城県日立市) and Okaya (長野県岡谷市), the network office,
// customers, a local government, and one login for each role. Every
// supplier has a profile (processes, materials, certifications, lot sizes,
// capacity, チャージ) and the machines its description names, under real
// makers' names with plausible envelopes and accuracies, so that directory
// search and chain matching have something to find; a few shops have written
// PR posts, two with a small generated photo.
//
// Every company, address and person is invented. The postal codes belong to
// the real towns the addresses name; the 法人番号 carry correct check digits
// and follow the real layout (registry office, kind of corporation, serial)
// but are made up. フリガナ give the reading of the name without the legal
// form (株式会社, 有限会社, …), as the 法人番号 publication site does. The
// data is fixed, so that tests and screenshots are stable.
//
// Seed writes through the store's service methods as the system actor, so
// each record is validated and audited like any other. The package imports
// only the root package and the standard library; it must never import a
// store, the HTTP layer or anything else that does I/O.
package demo
