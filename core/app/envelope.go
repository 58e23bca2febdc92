package app

import "github.com/myriadchain/myriad/core/codec"

// EnvelopeKind says what an application message between chains carries.
type EnvelopeKind uint8

// Envelope kinds.
const (
	// EnvUser is a message the application sent; its execute_message
	// runs on the recipient.
	EnvUser EnvelopeKind = iota
	// EnvEvent delivers an event of a stream the recipient subscribed to;
	// execute_message runs with the context's event fields set.
	EnvEvent
	// EnvSubscribe and EnvUnsubscribe add or remove the sending chain as
	// a subscriber of the application's stream; no application code runs.
	EnvSubscribe
	EnvUnsubscribe
	numEnvelopes
)

// Envelope is the protocol's wrapping of a user application's message:
// block.Message.Bytes of every message whose App is not the system.
type Envelope struct {
	Kind    EnvelopeKind
	Stream  string
	Index   uint32
	Payload []byte
}

// Encode writes e.
func (e Envelope) Encode(w *codec.Writer) {
	w.U8(uint8(e.Kind))
	w.String(e.Stream)
	w.U32(e.Index)
	w.Bytes(e.Payload)
}

// Decode reads e.
func (e *Envelope) Decode(r *codec.Reader) {
	e.Kind = EnvelopeKind(r.Tag(uint8(numEnvelopes)))
	e.Stream = r.String(MaxStreamName)
	e.Index = r.U32()
	e.Payload = r.Bytes(MaxValueSize)
}
