// Requests each URL given as an argument with net/http's default client, whose transport uses
// ProxyFromEnvironment (read once per process: the test starts one process per environment).
// Prints one JSON line per URL: {"url", "body"} or {"url", "error"}.
package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"time"
)

func main() {
	client := &http.Client{Timeout: 5 * time.Second}
	out := json.NewEncoder(os.Stdout)
	for _, url := range os.Args[1:] {
		record := map[string]string{"url": url}
		response, err := client.Get(url)
		if err == nil {
			body, readErr := io.ReadAll(response.Body)
			response.Body.Close()
			record["body"] = string(body)
			err = readErr
		}
		if err != nil {
			record["stage"] = "request"
			record["error"] = err.Error()
		}
		out.Encode(record)
	}
}
