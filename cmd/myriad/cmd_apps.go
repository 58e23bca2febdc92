package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/myriadchain/myriad/core/app"
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/ids"
)

type moduleView struct {
	Module app.ModuleID `json:"module"`
	Block  blockView    `json:"block"`
}

func (v moduleView) text(w io.Writer) {
	v.Block.text(w)
	fmt.Fprintf(w, "module %s\n", v.Module)
}

// MarshalJSON prints the module id as its string form.
func (v moduleView) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Module string    `json:"module"`
		Block  blockView `json:"block"`
	}{v.Module.String(), v.Block})
}

func readFile(e *env, name string) ([]byte, error) {
	b, err := os.ReadFile(e.abs(name))
	if err != nil {
		return nil, usageErrorf("read %s: %v", name, err)
	}
	return b, nil
}

// readModule reads the CONTRACT and SERVICE files the arguments name.
func readModule(e *env, args []string) (contract, service []byte, err error) {
	if _, err := exactly(args, "CONTRACT", "SERVICE"); err != nil {
		return nil, nil, err
	}
	if contract, err = readFile(e, args[0]); err != nil {
		return nil, nil, err
	}
	service, err = readFile(e, args[1])
	return contract, service, err
}

func cmdPublishModule(fs *flag.FlagSet) runner {
	chainFlag := fs.String("chain", "", "the publishing chain (default: the default chain)")
	return func(ctx context.Context, e *env, args []string) (result, error) {
		contract, service, err := readModule(e, args)
		if err != nil {
			return nil, err
		}
		return withChain(ctx, e, *chainFlag, func(s *session, id ids.ChainID) (result, error) {
			m, cert, err := s.PublishModule(ctx, id, contract, service)
			if err != nil {
				return nil, err
			}
			return moduleView{m, viewBlock("publish module", cert)}, nil
		})
	}
}

type blobView struct {
	Blob  ids.BlobID `json:"blob"`
	Block blockView  `json:"block"`
}

func (v blobView) text(w io.Writer) {
	v.Block.text(w)
	fmt.Fprintf(w, "blob %s\n", v.Blob)
}

func cmdPublishDataBlob(fs *flag.FlagSet) runner {
	chainFlag := fs.String("chain", "", "the publishing chain (default: the default chain)")
	return func(ctx context.Context, e *env, args []string) (result, error) {
		if _, err := exactly(args, "FILE"); err != nil {
			return nil, err
		}
		data, err := readFile(e, args[0])
		if err != nil {
			return nil, err
		}
		b := app.Blob{Kind: app.BlobData, Bytes: data}
		return withChain(ctx, e, *chainFlag, func(s *session, id ids.ChainID) (result, error) {
			cert, err := s.PublishBlobs(ctx, id, b)
			if err != nil {
				return nil, err
			}
			return blobView{b.ID(), viewBlock("publish data blob", cert)}, nil
		})
	}
}

type appView struct {
	Application ids.ApplicationID `json:"application"`
	Module      string            `json:"module,omitempty"`
	Block       blockView         `json:"block"`
}

func (v appView) text(w io.Writer) {
	v.Block.text(w)
	fmt.Fprintf(w, "application %s\n", v.Application)
}

// createFlags are the flags of the commands that create an application.
type createFlags struct {
	chain, params, arg, required *string
}

func newCreateFlags(fs *flag.FlagSet) createFlags {
	return createFlags{
		chain:    fs.String("chain", "", "the chain to create the application on (default: the default chain)"),
		params:   fs.String("json-parameters", "", "the application's parameters, JSON (default: none)"),
		arg:      fs.String("json-argument", "", "the instantiation argument, JSON (default: none)"),
		required: fs.String("required-application-ids", "", "applications this one calls, comma-separated ids"),
	}
}

func jsonArg(name, s string) ([]byte, error) {
	if s == "" {
		return nil, nil
	}
	if !json.Valid([]byte(s)) {
		return nil, usageErrorf("--%s is not valid JSON: %s", name, s)
	}
	return []byte(s), nil
}

func (f createFlags) request(m app.ModuleID) (app.CreateRequest, error) {
	req := app.CreateRequest{Module: m}
	var err error
	if req.Parameters, err = jsonArg("json-parameters", *f.params); err != nil {
		return req, err
	}
	if req.Argument, err = jsonArg("json-argument", *f.arg); err != nil {
		return req, err
	}
	for _, s := range strings.Split(*f.required, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		a, err := ids.ParseHash(s)
		if err != nil {
			return req, usageErrorf("--required-application-ids: %v", err)
		}
		req.Required = append(req.Required, a)
	}
	return req, nil
}

func cmdCreateApplication(fs *flag.FlagSet) runner {
	f := newCreateFlags(fs)
	return func(ctx context.Context, e *env, args []string) (result, error) {
		if _, err := exactly(args, "MODULE"); err != nil {
			return nil, err
		}
		m, err := app.ParseModuleID(args[0])
		if err != nil {
			return nil, usageErrorf("%v", err)
		}
		req, err := f.request(m)
		if err != nil {
			return nil, err
		}
		return withChain(ctx, e, *f.chain, func(s *session, id ids.ChainID) (result, error) {
			a, cert, err := s.CreateApplication(ctx, id, req)
			if err != nil {
				return nil, err
			}
			return appView{Application: a, Block: viewBlock("create application", cert)}, nil
		})
	}
}

func cmdPublishAndCreate(fs *flag.FlagSet) runner {
	f := newCreateFlags(fs)
	return func(ctx context.Context, e *env, args []string) (result, error) {
		contract, service, err := readModule(e, args)
		if err != nil {
			return nil, err
		}
		return withChain(ctx, e, *f.chain, func(s *session, id ids.ChainID) (result, error) {
			m, _, err := s.PublishModule(ctx, id, contract, service)
			if err != nil {
				return nil, err
			}
			req, err := f.request(m)
			if err != nil {
				return nil, err
			}
			a, cert, err := s.CreateApplication(ctx, id, req)
			if err != nil {
				return nil, err
			}
			return appView{Application: a, Module: m.String(), Block: viewBlock("create application", cert)}, nil
		})
	}
}

// queryView is a service's answer, or the block its mutation made.
type queryView struct {
	Response json.RawMessage `json:"response,omitempty"`
	Block    *blockView      `json:"block,omitempty"`
}

func (v queryView) text(w io.Writer) {
	if v.Block != nil {
		v.Block.text(w)
		return
	}
	fmt.Fprintf(w, "%s\n", v.Response)
}

func cmdQueryApplication(fs *flag.FlagSet) runner {
	chainFlag := fs.String("chain", "", "the chain (default: the default chain)")
	vars := fs.String("variables", "", "GraphQL variables, JSON")
	return func(ctx context.Context, e *env, args []string) (result, error) {
		if _, err := exactly(args, "APPLICATION", "GRAPHQL"); err != nil {
			return nil, err
		}
		a, err := ids.ParseHash(args[0])
		if err != nil {
			return nil, usageErrorf("application id: %v", err)
		}
		req := map[string]any{"query": args[1]}
		if *vars != "" {
			var v map[string]any
			if err := json.Unmarshal([]byte(*vars), &v); err != nil {
				return nil, usageErrorf("--variables: %v", err)
			}
			req["variables"] = v
		}
		body, _ := json.Marshal(req)
		return withChain(ctx, e, *chainFlag, func(s *session, id ids.ChainID) (result, error) {
			resp, cert, err := s.queryOrMutate(ctx, id, a, body)
			if err != nil {
				return nil, err
			}
			if cert != nil {
				b := viewBlock("application operations", cert)
				return queryView{Block: &b}, nil
			}
			return queryView{Response: resp}, nil
		})
	}
}

// queryOrMutate asks an application's service on chain id; if the service
// scheduled operations (a GraphQL mutation), they are proposed in a block
// and its certificate returned instead.
func (s *session) queryOrMutate(ctx context.Context, id ids.ChainID, a ids.ApplicationID, body []byte) (json.RawMessage, *block.Certificate, error) {
	res, err := s.Query(ctx, id, a, body)
	if err != nil {
		return nil, nil, err
	}
	if len(res.Operations) == 0 {
		return json.RawMessage(res.Response), nil, nil
	}
	cert, err := s.ExecuteApp(ctx, id, a, res.Operations...)
	if err != nil {
		return nil, nil, err
	}
	return nil, cert, nil
}
