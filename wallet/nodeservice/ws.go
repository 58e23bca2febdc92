package nodeservice

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"github.com/myriadchain/myriad/wallet/gqlapi"
)

// wsMessage is a message of the graphql-transport-ws protocol.
type wsMessage struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// maxSubscriptions bounds the subscriptions of one connection.
const maxSubscriptions = 16

// serveWS runs GraphQL subscriptions over WebSocket with the
// graphql-transport-ws protocol. The origin was checked by cors.
func (s *Service) serveWS(w http.ResponseWriter, r *http.Request) {
	c, err := websocket.Accept(w, r, &websocket.AcceptOptions{
		Subprotocols: []string{"graphql-transport-ws"}, InsecureSkipVerify: true})
	if err != nil {
		return
	}
	defer c.CloseNow()
	c.SetReadLimit(maxBody)
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	var wmu sync.Mutex
	send := func(m wsMessage) error {
		wmu.Lock()
		defer wmu.Unlock()
		return wsjson.Write(ctx, c, m)
	}
	subs := map[string]context.CancelFunc{}
	var smu sync.Mutex
	acked := false
	for {
		var m wsMessage
		if err := wsjson.Read(ctx, c, &m); err != nil {
			return
		}
		switch m.Type {
		case "connection_init":
			acked = true
			if send(wsMessage{Type: "connection_ack"}) != nil {
				return
			}
		case "ping":
			if send(wsMessage{Type: "pong"}) != nil {
				return
			}
		case "subscribe":
			if !acked {
				c.Close(4401, "unauthorized: send connection_init first")
				return
			}
			var req gqlapi.Request
			if err := json.Unmarshal(m.Payload, &req); err != nil || m.ID == "" {
				c.Close(4400, "bad subscribe message")
				return
			}
			smu.Lock()
			if _, dup := subs[m.ID]; dup || len(subs) >= maxSubscriptions {
				smu.Unlock()
				c.Close(4409, "subscriber for "+m.ID+" already exists or too many subscriptions")
				return
			}
			sctx, scancel := context.WithCancel(ctx)
			subs[m.ID] = scancel
			smu.Unlock()
			ch, err := s.api.Subscribe(sctx, req)
			if err != nil {
				b, _ := json.Marshal([]map[string]string{{"message": err.Error()}})
				send(wsMessage{ID: m.ID, Type: "error", Payload: b}) //nolint:errcheck // closing anyway
				scancel()
				continue
			}
			go func(id string) {
				for resp := range ch {
					b, _ := json.Marshal(resp)
					if send(wsMessage{ID: id, Type: "next", Payload: b}) != nil {
						return
					}
				}
				send(wsMessage{ID: id, Type: "complete"}) //nolint:errcheck // best effort
			}(m.ID)
		case "complete":
			smu.Lock()
			if cancel, ok := subs[m.ID]; ok {
				cancel()
				delete(subs, m.ID)
			}
			smu.Unlock()
		}
	}
}
