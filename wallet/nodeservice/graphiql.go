package nodeservice

import "net/http"

// graphiqlPage is a GraphiQL page for the endpoint it is served at. It
// loads GraphiQL from a CDN in the user's browser; the service itself
// needs no network.
const graphiqlPage = `<!doctype html>
<html><head><meta charset="utf-8"><title>Myriad node service</title>
<link rel="stylesheet" href="https://unpkg.com/graphiql@3/graphiql.min.css">
<style>body{margin:0;height:100vh}#g{height:100vh}</style></head>
<body><div id="g">Loading GraphiQL… (POST GraphQL requests to this URL; subscriptions at /ws)</div>
<script src="https://unpkg.com/react@18/umd/react.production.min.js"></script>
<script src="https://unpkg.com/react-dom@18/umd/react-dom.production.min.js"></script>
<script src="https://unpkg.com/graphiql@3/graphiql.min.js"></script>
<script>
const url = location.pathname;
const fetcher = GraphiQL.createFetcher({url, subscriptionUrl: "ws://" + location.host + "/ws"});
ReactDOM.createRoot(document.getElementById("g")).render(React.createElement(GraphiQL, {fetcher}));
</script></body></html>`

func (s *Service) serveGraphiQL(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write([]byte(graphiqlPage)) //nolint:errcheck // the client hung up
}
