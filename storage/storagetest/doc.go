// Package storagetest is the conformance suite every kv.Store backend runs.
//
// A backend's test calls Run with a function that opens a fresh, empty
// store, and RunPersistent if the backend keeps its data across a close and
// reopen:
//
//	func TestConformance(t *testing.T) {
//		storagetest.Run(t, func(t *testing.T) kv.Store { return kv.NewMemory() })
//	}
//
// The suite closes every store it opens. Randomised subtests log their seed;
// run again with -storagetest.seed=N to replay one.
package storagetest
