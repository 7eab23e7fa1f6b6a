// Package storetest is the one conformance suite of nakamawashi.Store: the
// same scenarios run against every engine (see the tests of the sqlite and
// postgres packages), so that the engines cannot drift apart. A Harness
// tells it how to open a fresh store and reach its database directly, for
// the tests that tamper with the audit log.
//
// It is imported by tests only and must never be imported by the server
// or by a store; it imports no database driver.
package storetest
