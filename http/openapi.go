package http

import (
	gohttp "net/http"
)

// obj is a JSON object in the OpenAPI document.
type obj = map[string]any

func ref(name string) obj { return obj{"$ref": "#/components/schemas/" + name} }

func str(desc string) obj { return obj{"type": "string", "description": desc} }

func integer(desc string) obj { return obj{"type": "integer", "format": "int64", "description": desc} }

func timeSchema(desc string) obj {
	return obj{"type": "string", "format": "date-time", "description": desc}
}

func nullable(t string, desc string) obj {
	return obj{"type": []string{t, "null"}, "description": desc}
}

func schemaObject(required []string, props obj) obj {
	o := obj{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		o["required"] = required
	}
	return o
}

func listOf(name string) obj {
	return schemaObject([]string{"items", "total", "offset", "limit"}, obj{
		"items":  obj{"type": "array", "items": ref(name)},
		"total":  integer("Number of matching records"),
		"offset": integer("Records skipped"),
		"limit":  integer("Page size"),
	})
}

func jsonBody(schema obj) obj {
	return obj{"required": true, "content": obj{"application/json": obj{"schema": schema}}}
}

func okJSON(desc string, schema obj) obj {
	return obj{"description": desc, "content": obj{"application/json": obj{"schema": schema}}}
}

// errorsFor lists the error responses an operation may give.
func errorsFor(codes ...string) obj {
	out := obj{}
	desc := map[string]string{
		"400": "Invalid input (code invalid); fields names the wrong ones",
		"401": "Not logged in (code unauthorized)",
		"403": "Not allowed for the caller's role (code forbidden)",
		"404": "No such record, or not visible to the caller (code not_found)",
		"409": "Conflicts with existing data (code conflict)",
		"413": "Body over the size limit (code too_large)",
		"415": "Content-Type is not application/json (code unsupported_media)",
	}
	for _, c := range codes {
		out[c] = okJSON(desc[c], ref("Error"))
	}
	return out
}

func op(summary, id string, params []obj, body obj, okCode string, ok obj, errs ...string) obj {
	responses := errorsFor(errs...)
	responses[okCode] = ok
	o := obj{"summary": summary, "operationId": id, "responses": responses}
	if len(params) > 0 {
		o["parameters"] = params
	}
	if body != nil {
		o["requestBody"] = body
	}
	return o
}

func pathParam(name, desc string) obj {
	return obj{"name": name, "in": "path", "required": true, "description": desc,
		"schema": obj{"type": "integer", "format": "int64", "minimum": 1}}
}

func queryParam(name, desc string, schema obj) obj {
	return obj{"name": name, "in": "query", "required": false, "description": desc, "schema": schema}
}

var pageParams = []obj{
	queryParam("offset", "Records to skip", obj{"type": "integer", "minimum": 0}),
	queryParam("limit", "Page size (default 50, at most 500)", obj{"type": "integer", "minimum": 0, "maximum": 500}),
}

func withPage(ps ...obj) []obj { return append(ps, pageParams...) }

// companyFields are the writable fields of a company.
func companyFields() obj {
	return obj{
		"kind":                obj{"type": "string", "enum": []string{"member", "partner", "customer", "office", "government"}, "description": "The company's part in the network"},
		"name":                str("商号, the trade name"),
		"name_kana":           str("フリガナ in katakana"),
		"corporate_number":    str("法人番号, 13 digits with a check digit"),
		"registration_number": str("適格請求書発行事業者登録番号, T + 13 digits"),
		"postal_code":         str("郵便番号, 7 digits"),
		"prefecture":          str("One of the 47 prefectures"),
		"city":                str("市区町村"),
		"street":              str("町名・番地"),
		"building":            str("Building and room"),
		"phone":               str("Telephone, 10 or 11 digits starting with 0"),
		"fax":                 str("FAX"),
		"email":               str("Contact address"),
		"region":              str("Region, e.g. 大田区; the city when empty"),
		"description":         str("会社紹介"),
	}
}

// openAPIDocument builds the OpenAPI 3.1 description of /api/v1. Every API
// route of the route table appears here, and nothing else; a test checks.
func (s *Server) openAPIDocument() obj {
	version := s.Version
	if version == "" {
		version = "dev"
	}
	company := companyFields()
	company["id"] = integer("Company id")
	company["created_at"] = timeSchema("Created")
	company["updated_at"] = timeSchema("Last changed")
	companyUpdate := schemaObject(nil, companyFields())
	companyUpdate["description"] = "Fields to set; absent fields stay as they are. On create, the required fields of a company apply."

	idPath := pathParam("id", "Record id")
	doc := obj{
		"openapi": "3.1.0",
		"info": obj{
			"title":       "nakamawashi API",
			"version":     version,
			"description": "JSON API of a 仲間まわし network. Errors are {\"error\":{\"code\",\"message\",\"fields\"}} with messages in the caller's language (the user's setting, else Accept-Language, else Japanese).",
		},
		"servers":  []obj{{"url": "/"}},
		"security": []obj{{"bearerAuth": []string{}}, {"sessionCookie": []string{}}},
		"paths": obj{
			"/api/v1/openapi.json": obj{"get": func() obj {
				o := op("This OpenAPI document", "getOpenAPI", nil, nil, "200", okJSON("The document", obj{"type": "object"}))
				o["security"] = []obj{}
				return o
			}()},
			"/api/v1/me": obj{"get": op("The caller", "getMe", nil, nil, "200", okJSON("The caller", ref("Me")), "401")},
			"/api/v1/companies": obj{
				"get": op("List companies", "listCompanies", withPage(
					queryParam("q", "Matches name or フリガナ", obj{"type": "string"}),
					queryParam("kind", "Company kind", obj{"type": "string"}),
					queryParam("region", "Region", obj{"type": "string"}),
				), nil, "200", okJSON("Companies the caller may see", listOf("Company")), "400", "401"),
				"post": op("Create a company", "createCompany", nil, jsonBody(ref("CompanyUpdate")), "201", okJSON("The new company", ref("Company")), "400", "401", "403", "409", "413", "415"),
			},
			"/api/v1/companies/{id}": obj{
				"get":   op("Get a company", "getCompany", []obj{idPath}, nil, "200", okJSON("The company", ref("Company")), "401", "404"),
				"patch": op("Update a company", "updateCompany", []obj{idPath}, jsonBody(ref("CompanyUpdate")), "200", okJSON("The company", ref("Company")), "400", "401", "403", "404", "409", "413", "415"),
			},
			"/api/v1/companies/{id}/members": obj{
				"get":  op("List a company's memberships", "listMembers", []obj{idPath}, nil, "200", okJSON("Memberships", listOf("Membership")), "401", "403", "404"),
				"post": op("Add an existing user to a company (network office only: owners create new users with POST /api/v1/users)", "createMember", []obj{idPath}, jsonBody(ref("MemberRequest")), "201", okJSON("The membership", ref("Membership")), "400", "401", "403", "404", "409", "413", "415"),
			},
			"/api/v1/memberships/{id}": obj{
				"delete": op("Remove a membership", "deleteMembership", []obj{idPath}, nil, "204", obj{"description": "Removed"}, "401", "403", "404", "409"),
			},
			"/api/v1/users": obj{
				"get": op("List users", "listUsers", withPage(
					queryParam("email", "Exact email address", obj{"type": "string"}),
					queryParam("company_id", "Users with a membership in this company", obj{"type": "integer"}),
				), nil, "200", okJSON("Users the caller may see", listOf("User")), "400", "401", "403"),
				"post": op("Create a user", "createUser", nil, jsonBody(ref("UserCreate")), "201", okJSON("The new user", ref("User")), "400", "401", "403", "409", "413", "415"),
			},
			"/api/v1/users/{id}": obj{
				"get":   op("Get a user", "getUser", []obj{idPath}, nil, "200", okJSON("The user", ref("User")), "401", "404"),
				"patch": op("Update a user", "updateUser", []obj{idPath}, jsonBody(ref("UserUpdate")), "200", okJSON("The user", ref("User")), "400", "401", "403", "404", "413", "415"),
			},
			"/api/v1/tokens": obj{
				"get":  op("List the caller's API tokens", "listTokens", nil, nil, "200", okJSON("Tokens, without secrets", listOf("APIToken")), "401"),
				"post": op("Create an API token", "createToken", nil, jsonBody(ref("TokenCreate")), "201", okJSON("The token; its secret is shown only here", ref("APIToken")), "400", "401", "413", "415"),
			},
			"/api/v1/tokens/{id}": obj{
				"delete": op("Revoke an API token", "deleteToken", []obj{idPath}, nil, "204", obj{"description": "Revoked"}, "401", "404"),
			},
			"/api/v1/audit": obj{
				"get": op("List audit events", "listAuditEvents", withPage(
					queryParam("company_id", "Events of this company", obj{"type": "integer"}),
					queryParam("entity_type", "e.g. company", obj{"type": "string"}),
					queryParam("entity_id", "Id of the entity", obj{"type": "integer"}),
					queryParam("since", "RFC 3339 time", obj{"type": "string", "format": "date-time"}),
					queryParam("until", "RFC 3339 time", obj{"type": "string", "format": "date-time"}),
				), nil, "200", okJSON("Audit events", listOf("AuditEvent")), "400", "401", "403"),
			},
			"/api/v1/audit/verify": obj{
				"get": op("Verify the audit chain", "verifyAuditChain", nil, nil, "200", okJSON("The result", ref("AuditVerification")), "401", "403"),
			},
		},
		"components": obj{
			"securitySchemes": obj{
				"bearerAuth":    obj{"type": "http", "scheme": "bearer", "description": "An API token (nkm_…) from the account page or POST /api/v1/tokens"},
				"sessionCookie": obj{"type": "apiKey", "in": "cookie", "name": sessionCookie, "description": "A browser session; state-changing calls also need the X-CSRF-Token header"},
			},
			"schemas": obj{
				"Error": schemaObject([]string{"error"}, obj{"error": schemaObject([]string{"code", "message"}, obj{
					"code":    obj{"type": "string", "enum": []string{"invalid", "not_found", "conflict", "unauthorized", "forbidden", "too_large", "too_many_requests", "unsupported_media", "method_not_allowed", "unavailable", "internal"}},
					"message": str("What went wrong, in the caller's language"),
					"fields":  obj{"type": "object", "additionalProperties": obj{"type": "string"}, "description": "Per-field messages"},
				})}),
				"Company":       schemaObject([]string{"id", "kind", "name", "name_kana", "postal_code", "prefecture", "city", "street", "phone", "region", "created_at", "updated_at"}, company),
				"CompanyUpdate": companyUpdate,
				"User": schemaObject([]string{"id", "email", "name", "language", "disabled", "created_at", "updated_at"}, obj{
					"id": integer("User id"), "email": str("Login address"), "name": str("Name"),
					"language": obj{"type": "string", "enum": []string{"ja", "en"}}, "disabled": obj{"type": "boolean"},
					"created_at": timeSchema("Created"), "updated_at": timeSchema("Last changed"),
				}),
				"UserCreate": schemaObject([]string{"email", "name", "password"}, obj{
					"email": str("Login address"), "name": str("Name"), "language": obj{"type": "string", "enum": []string{"ja", "en"}},
					"password": str("At least 10 characters"), "company_id": integer("First membership's company; 0 for none"),
					"role": ref("Role"),
				}),
				"UserUpdate": schemaObject(nil, obj{
					"name": str("Name"), "language": obj{"type": "string", "enum": []string{"ja", "en"}}, "disabled": obj{"type": "boolean"},
				}),
				"Role": obj{"type": "string", "enum": []string{"owner", "staff", "coordinator", "local_government", "admin"}},
				"Membership": schemaObject([]string{"id", "user_id", "company_id", "role", "created_at"}, obj{
					"id": integer("Membership id"), "user_id": integer("User"), "company_id": integer("Company"), "role": ref("Role"),
					"created_at": timeSchema("Created"), "user_name": str("The user's name"), "user_email": str("The user's address"),
					"company_name": str("The company's name"),
				}),
				"MemberRequest": schemaObject([]string{"user_id", "role"}, obj{"user_id": integer("An existing user"), "role": ref("Role")}),
				"APIToken": schemaObject([]string{"id", "name", "user_id", "company_id", "role", "created_at", "expires_at"}, obj{
					"id": integer("Token id"), "name": str("A name to recognize it by"), "token": str("The secret, only in the response to its creation"),
					"user_id": integer("Owner"), "company_id": integer("Company it acts for"), "role": ref("Role"),
					"created_at": timeSchema("Created"), "expires_at": timeSchema("Expiry"), "last_used_at": nullable("string", "Last use"),
				}),
				"TokenCreate": schemaObject([]string{"name"}, obj{"name": str("A name to recognize it by"), "expires_at": timeSchema("Expiry, within a year; default 90 days")}),
				"AuditEvent": schemaObject([]string{"id", "at", "actor_name", "action", "entity_type", "prev_hash", "hash"}, obj{
					"id": integer("Position in the chain, from 1"), "at": timeSchema("When"), "actor_user_id": integer("Who; absent for the system"),
					"actor_name": str("Who, by name"), "company_id": integer("Company whose records changed"), "action": str("e.g. company.update"),
					"entity_type": str("e.g. company"), "entity_id": integer("Entity id"), "detail": str("JSON object, as stored"),
					"prev_hash": str("Hash of the previous event"), "hash": str("SHA-256 of this event chained to the previous"),
				}),
				"AuditVerification": schemaObject([]string{"ok", "events"}, obj{
					"ok": obj{"type": "boolean"}, "events": integer("Events verified"), "broken_at": integer("First bad event"),
					"reason": str("Why the chain breaks there"), "last_hash": str("Hash of the last good event"),
				}),
				"Me": schemaObject([]string{"user_id", "name", "email", "language", "company_id", "role", "auth"}, obj{
					"user_id": integer("User id"), "name": str("Name"), "email": str("Address"), "language": obj{"type": "string", "enum": []string{"ja", "en"}},
					"company_id": integer("Company acted for"), "company_name": str("Its name"), "company_kind": str("Its kind"), "role": ref("Role"),
					"auth": obj{"type": "string", "enum": []string{"session", "token"}},
				}),
			},
		},
	}
	addDirectoryAPI(doc)
	addFlowAPI(doc)
	addIoTAPI(doc)
	return doc
}

// handleOpenAPI serves the OpenAPI document.
func (s *Server) handleOpenAPI(w gohttp.ResponseWriter, r *gohttp.Request) {
	w.Header().Set("Cache-Control", "public, max-age=300")
	s.writeJSON(w, r, gohttp.StatusOK, s.openAPIDocument())
}
