//go:build !unix

package validator

func cpuSeconds() (float64, bool)  { return 0, false }
func residentBytes() (int64, bool) { return 0, false }
