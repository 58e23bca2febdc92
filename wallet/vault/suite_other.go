//go:build !js

package vault

// platform is the suite vaults use: the Go standard library, outside the
// browser.
func platform() suite { return goSuite{} }
