"""The HTTP API as pure code (no Ray): the contract (routes, fields, error codes), request
parsing, response shaping and the OpenAPI document generated from the contract. The ingress
deployment is the only place that connects it to Starlette requests and to the stages."""
