// Request builder UI: see issue "Request builder webview".
export {};
