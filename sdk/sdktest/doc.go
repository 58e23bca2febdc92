// Package sdktest runs Myriad applications in plain `go test`: a mocked
// network of chains implementing app.ContractHost and app.ServiceHost, on
// which an app's contract and service (the same Go values its wasip1 build
// registers) execute natively.
//
//	net := sdktest.NewNetwork()
//	mod := net.Publish(Counter{}, counterService)
//	a := net.NewChain("a")
//	id, err := a.CreateApplication(mod, nil, []byte("5"), sdktest.Owner("alice"))
//	out, err := a.Operation(id, sdktest.Owner("alice"), []byte(`{"increment":2}`))
//	resp, ops, err := a.GraphQL(id, `query { value }`, nil)
//
// Each operation, and each delivered bundle of messages, is one transaction
// in its own block: it commits completely or not at all (a panic in app
// code, a failing host call). Messages sent by a transaction wait in the
// network until Deliver, which executes them on their destinations in order;
// a destination that fails a bundle (or has RejectIncoming set) rejects it,
// and its tracked messages bounce back, as on a real chain. Native tokens
// (Balance, SetBalance) move with transfers and claims, across chains as
// tracked credit messages.
//
// The chains record what happened for tests to check: Sent, Transfers,
// Claims, Events, Logs; a service query returns the operations it
// scheduled.
package sdktest
