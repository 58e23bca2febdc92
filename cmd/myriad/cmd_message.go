package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/keys"
	"github.com/myriadchain/myriad/core/msgsig"
)

// signedView is a message signature: what sign-message prints and what
// verify-message checks (docs/keys.md).
type signedView struct {
	Origin    string         `json:"origin"`
	Message   string         `json:"message"`
	Owner     ids.Owner      `json:"owner"`
	PublicKey keys.PublicKey `json:"public_key"`
	Signature keys.Signature `json:"signature"`
}

func (v signedView) text(w io.Writer) {
	fmt.Fprintf(w, "signature %s\npublic key %s\nowner %s\norigin %s\n", v.Signature, v.PublicKey, v.Owner, v.Origin)
}

// verifiedView is what verify-message prints for a good signature.
type verifiedView struct {
	Valid     bool           `json:"valid"`
	Origin    string         `json:"origin"`
	Owner     ids.Owner      `json:"owner"`
	PublicKey keys.PublicKey `json:"public_key"`
}

func (v verifiedView) text(w io.Writer) {
	fmt.Fprintf(w, "valid: signed by owner %s for %s\n", v.Owner, v.Origin)
}

// messageFlags are the flags that name a message and its origin.
type messageFlags struct {
	origin, file *string
}

func newMessageFlags(fs *flag.FlagSet) messageFlags {
	return messageFlags{
		origin: fs.String("origin", "", "the web origin the message is signed for, as a browser writes it: https://HOST[:PORT] (required)"),
		file:   fs.String("file", "", "read the message from a file, byte for byte, instead of the MESSAGE argument"),
	}
}

// message returns the origin and the message: the one positional
// argument or the file's content.
func (f messageFlags) message(e *env, args []string) (origin, message string, err error) {
	if *f.origin == "" {
		return "", "", usageErrorf("missing --origin: the web origin the message is for, such as https://app.example")
	}
	if *f.file == "" {
		if _, err := exactly(args, "MESSAGE"); err != nil {
			return "", "", err
		}
		return *f.origin, args[0], nil
	}
	if len(args) > 0 {
		return "", "", usageErrorf("give MESSAGE or --file FILE, not both")
	}
	file, err := os.Open(e.abs(*f.file))
	if err != nil {
		return "", "", fmt.Errorf("read the message: %w", err)
	}
	defer file.Close()
	b, err := io.ReadAll(io.LimitReader(file, msgsig.MaxMessageSize+1))
	if err != nil {
		return "", "", fmt.Errorf("read the message: %w", err)
	}
	return *f.origin, string(b), nil
}

func cmdSignMessage(fs *flag.FlagSet) runner {
	mf := newMessageFlags(fs)
	ownerFlag := fs.String("owner", "", "the key to sign with (default: the default chain's owner)")
	return func(ctx context.Context, e *env, args []string) (result, error) {
		origin, message, err := mf.message(e, args)
		if err != nil {
			return nil, err
		}
		var owner ids.Owner
		if *ownerFlag != "" {
			if owner, err = ownerArg(*ownerFlag); err != nil {
				return nil, err
			}
		}
		return withWallet(ctx, e, func(s *session) (result, error) {
			signed, err := s.SignMessage(owner, origin, message)
			if err != nil {
				return nil, err
			}
			return signedView{Origin: origin, Message: message, Owner: signed.Owner,
				PublicKey: signed.PublicKey, Signature: signed.Signature}, nil
		})
	}
}

func cmdVerifyMessage(fs *flag.FlagSet) runner {
	mf := newMessageFlags(fs)
	pubFlag := fs.String("public-key", "", "the signer's public key, 64 hex digits (required)")
	sigFlag := fs.String("signature", "", "the signature, 128 hex digits (required)")
	ownerFlag := fs.String("owner", "", "also check that the key is this owner's")
	return func(_ context.Context, e *env, args []string) (result, error) {
		origin, message, err := mf.message(e, args)
		if err != nil {
			return nil, err
		}
		pub, err := keys.ParsePublicKey(*pubFlag)
		if err != nil {
			return nil, usageErrorf("--public-key: %v", err)
		}
		sig, err := keys.ParseSignature(*sigFlag)
		if err != nil {
			return nil, usageErrorf("--signature: %v", err)
		}
		if *ownerFlag != "" {
			owner, err := ownerArg(*ownerFlag)
			if err != nil {
				return nil, err
			}
			if pub.Owner() != owner {
				return nil, fmt.Errorf("%w: the public key is owner %s's, not %s's", errWrongOwner, pub.Owner(), owner)
			}
		}
		if err := msgsig.Verify(pub, origin, message, sig); err != nil {
			return nil, err
		}
		return verifiedView{Valid: true, Origin: origin, Owner: pub.Owner(), PublicKey: pub}, nil
	}
}

// errWrongOwner is verify-message's error for a key of another owner.
var errWrongOwner = errors.New("wrong owner")
