// Package nakamawashi is the domain of the nakamawashi platform: the types of
// a 仲間まわし network (companies, users, memberships, audit events), their
// validation, the service interfaces that the stores implement, the one error
// type, the authorization policy and the message catalog.
//
// This package performs no I/O and must never import a package that does
// (database drivers, net/http, MQTT clients, the file system). Every other
// package in the module imports it; it imports none of them.
package nakamawashi
