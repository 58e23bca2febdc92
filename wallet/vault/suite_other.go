package vault

// platform is the suite vaults use: the Go standard library.
func platform() suite { return goSuite{} }
