package pebblestore_test

import (
	"encoding/binary"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/myriadchain/myriad/core/kv"
	pebblestore "github.com/myriadchain/myriad/storage/pebble"
)

// BenchmarkApplySynced measures synced Applies of one small put, on the
// operating system's disk, from one goroutine and from many. It reports
// syncs/op: below 1 when concurrent Applies share disk syncs.
func BenchmarkApplySynced(b *testing.B) {
	b.Run("serial", func(b *testing.B) { benchApply(b, 0) })
	for _, writers := range []int{4, 16, 64} {
		b.Run(fmt.Sprintf("parallel-%d", writers), func(b *testing.B) { benchApply(b, writers) })
	}
}

// benchApply runs b.N Applies from one goroutine, or from writers
// goroutines (rounded up to a multiple of GOMAXPROCS) if writers > 0.
func benchApply(b *testing.B, writers int) {
	fs := &syncCounter{FS: vfs.Default}
	s, err := pebblestore.New(pebblestore.Config{Dir: b.TempDir(), FS: fs})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	var next atomic.Uint64
	value := make([]byte, 100)
	applyOne := func() {
		var key [8]byte
		binary.BigEndian.PutUint64(key[:], next.Add(1))
		var batch kv.Batch
		batch.Put(key[:], value)
		if err := s.Apply(b.Context(), &batch); err != nil {
			b.Error(err)
		}
	}
	start := fs.syncs.Load()
	b.ResetTimer()
	if writers == 0 {
		for range b.N {
			applyOne()
		}
	} else {
		procs := runtime.GOMAXPROCS(0)
		b.SetParallelism((writers + procs - 1) / procs)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				applyOne()
			}
		})
	}
	b.StopTimer()
	b.ReportMetric(float64(fs.syncs.Load()-start)/float64(b.N), "syncs/op")
}

// syncCounter is a file system counting the syncs of its files.
type syncCounter struct {
	vfs.FS
	syncs atomic.Int64
}

func (c *syncCounter) Create(name string, cat vfs.DiskWriteCategory) (vfs.File, error) {
	f, err := c.FS.Create(name, cat)
	return c.wrap(f, err)
}

func (c *syncCounter) OpenReadWrite(name string, cat vfs.DiskWriteCategory, opts ...vfs.OpenOption) (vfs.File, error) {
	f, err := c.FS.OpenReadWrite(name, cat, opts...)
	return c.wrap(f, err)
}

func (c *syncCounter) ReuseForWrite(oldname, newname string, cat vfs.DiskWriteCategory) (vfs.File, error) {
	f, err := c.FS.ReuseForWrite(oldname, newname, cat)
	return c.wrap(f, err)
}

func (c *syncCounter) OpenDir(name string) (vfs.File, error) {
	f, err := c.FS.OpenDir(name)
	return c.wrap(f, err)
}

func (c *syncCounter) wrap(f vfs.File, err error) (vfs.File, error) {
	if err != nil {
		return nil, err
	}
	return &countedFile{File: f, syncs: &c.syncs}, nil
}

// countedFile is a file counting its syncs.
type countedFile struct {
	vfs.File
	syncs *atomic.Int64
}

func (f *countedFile) Sync() error {
	f.syncs.Add(1)
	return f.File.Sync()
}

func (f *countedFile) SyncData() error {
	f.syncs.Add(1)
	return f.File.SyncData()
}

func (f *countedFile) SyncTo(length int64) (bool, error) {
	f.syncs.Add(1)
	return f.File.SyncTo(length)
}
