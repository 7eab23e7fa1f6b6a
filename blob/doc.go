// Package blob keeps file contents (drawings) in a directory, addressed by
// their SHA-256: the content with hash abcd… lives in ab/cd/abcd…, so that
// the same file uploaded twice is stored once and a name can never point
// outside the directory. It implements nakamawashi.BlobStore.
//
// It imports only the root package and the standard library; it must never
// import a database driver, a store or net/http.
package blob
