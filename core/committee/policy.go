package committee

import (
	"fmt"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/codec"
)

// Policy prices what a block uses and caps it. Fees are charged to the
// chain's own account while the block executes; a block that cannot pay
// fails the same way on every validator.
type Policy struct {
	// Prices.
	Block         amount.Amount // per block
	Operation     amount.Amount // per operation
	OperationByte amount.Amount // per byte of operation payload
	Message       amount.Amount // per outgoing message
	MessageByte   amount.Amount // per byte of outgoing message payload
	ByteRead      amount.Amount // per byte of application state read
	ByteWritten   amount.Amount // per byte of state written
	Fuel          amount.Amount // per unit of Wasm fuel
	BlobByte      amount.Amount // per byte of published blob

	// Caps.
	MaxBlockSize    uint64 // bytes of the proposed block's encoding
	MaxFuelPerBlock uint64
	MaxBytesWritten uint64 // per block
	MaxBlobSize     uint64
	MaxBlockTxs     uint32 // transactions per block
}

// NoFees is the policy of local networks: everything free, generous caps.
func NoFees() Policy {
	return Policy{
		MaxBlockSize:    8 << 20,
		MaxFuelPerBlock: 10_000_000_000,
		MaxBytesWritten: 64 << 20,
		MaxBlobSize:     8 << 20,
		MaxBlockTxs:     10_000,
	}
}

// Testnet is a policy with fees: blocks, operations, messages, bytes and
// fuel cost small amounts, and caps are tighter.
func Testnet() Policy {
	micro := amount.Attos(1_000_000_000_000) // 10^-6 token
	nano := amount.Attos(1_000_000_000)      // 10^-9 token
	return Policy{
		Block:           micro,
		Operation:       amount.Attos(10 * 1_000_000_000_000),
		OperationByte:   nano,
		Message:         amount.Attos(10 * 1_000_000_000_000),
		MessageByte:     nano,
		ByteRead:        amount.Attos(1_000_000),
		ByteWritten:     amount.Attos(10 * 1_000_000_000),
		Fuel:            amount.Attos(10 * 1_000_000_000),
		BlobByte:        nano,
		MaxBlockSize:    1 << 20,
		MaxFuelPerBlock: 100_000_000,
		MaxBytesWritten: 8 << 20,
		MaxBlobSize:     8 << 20, // a Go service module with GraphQL is about 6 MB
		MaxBlockTxs:     1_000,
	}
}

// PolicyByName returns a preset: "no-fees" or "testnet".
func PolicyByName(name string) (Policy, error) {
	switch name {
	case "no-fees", "":
		return NoFees(), nil
	case "testnet":
		return Testnet(), nil
	}
	return Policy{}, fmt.Errorf("committee: unknown policy %q (want no-fees or testnet)", name)
}

func (p *Policy) prices() []*amount.Amount {
	return []*amount.Amount{&p.Block, &p.Operation, &p.OperationByte, &p.Message, &p.MessageByte,
		&p.ByteRead, &p.ByteWritten, &p.Fuel, &p.BlobByte}
}

func (p *Policy) caps() []*uint64 {
	return []*uint64{&p.MaxBlockSize, &p.MaxFuelPerBlock, &p.MaxBytesWritten, &p.MaxBlobSize}
}

// Encode writes the policy.
func (p Policy) Encode(w *codec.Writer) {
	for _, a := range p.prices() {
		a.Encode(w)
	}
	for _, c := range p.caps() {
		w.U64(*c)
	}
	w.U32(p.MaxBlockTxs)
}

// Decode reads a policy.
func (p *Policy) Decode(r *codec.Reader) {
	for _, a := range p.prices() {
		a.Decode(r)
	}
	for _, c := range p.caps() {
		*c = r.U64()
	}
	p.MaxBlockTxs = r.U32()
}
