// Package msgsig signs and verifies text messages for web origins: the
// signature a wallet gives a dApp that asks it to sign a message
// (myriad_signMessage), and that the dApp's server checks.
//
//	sig, err := msgsig.Sign(key, "https://app.example", "Sign in to app.example\nnonce: 8f3a")
//	err = msgsig.Verify(pub, "https://app.example", "Sign in to app.example\nnonce: 8f3a", sig)
//
// The signature covers the origin and the message, domain-separated from
// every signature the protocol makes:
//
//	digest  = SHA-256("myriad/offchain-message" || 0x00 ||
//	                  u32be(len(origin)) || origin || u32be(len(message)) || message)
//	payload = "myriad-sig/offchain-message" || 0x00 || digest
//	signature = Ed25519(key, payload)
//
// Protocol signatures (block proposals, validators' votes) sign
// "myriad-sig/" + their own tag + 0x00 + a hash (package keys); no tag
// contains 0x00, so the tag "offchain-message" makes every message payload
// differ from every protocol payload in its first bytes: a message
// signature never verifies as a proposal or a vote, whatever the message.
// The origin is part of the digest, so a signature given to one site does
// not verify for another. docs/keys.md gives the layout, a test vector and
// how a server verifies without this package.
//
// Origins are written as browsers serialise them: "http" or "https",
// "://", a lowercase host (or a bracketed IPv6 address) and a port only
// when it is not the scheme's default — "https://app.example",
// "http://127.0.0.1:8090". Messages are UTF-8 text of at most
// MaxMessageSize bytes, without control characters other than tab, line
// feed and carriage return, so that what the wallet shows is what it signs.
package msgsig
