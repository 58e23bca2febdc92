package cqlstore

// SetCrashHook sets the hook a journaled Apply calls at each step; nil
// removes it.
func SetCrashHook(h func(step string) error) { crashHook = h }
