package wallet

// SetIndexBatch sets the number of blocks indexed per batch until the
// returned function restores it.
func SetIndexBatch(n int) (restore func()) {
	old := indexBatch
	indexBatch = n
	return func() { indexBatch = old }
}
