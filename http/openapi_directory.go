package http

import "github.com/nakamawashi/nakamawashi"

// addDirectoryAPI adds the partner directory and chain matching to the
// OpenAPI document: paths and their schemas.
func addDirectoryAPI(doc obj) {
	paths, schemas := doc["paths"].(obj), doc["components"].(obj)["schemas"].(obj)
	idPath := pathParam("id", "Company id")
	mid := pathParam("mid", "Machine id")
	pid := pathParam("pid", "Post id")
	num := func(desc string) obj { return obj{"type": "number", "description": desc} }
	codes := func(desc string) obj {
		return obj{"type": "array", "items": obj{"type": "string"}, "description": desc}
	}
	search := withPage(
		queryParam("q", "Words, Japanese or English; widths, kana and case are folded (ｾﾝﾊﾞﾝ finds 旋盤)", obj{"type": "string"}),
		queryParam("process", "Process code of the vocabulary", obj{"type": "string"}),
		queryParam("material", "Material code", obj{"type": "string"}),
		queryParam("certification", "Certification code", obj{"type": "string"}),
		queryParam("region", "Region, e.g. 大田区", obj{"type": "string"}),
		queryParam("kind", "Company kind", obj{"type": "string", "enum": []string{"member", "partner", "customer", "office", "government"}}),
		queryParam("lot_size", "Lot size", ref("LotSize")),
		queryParam("part_shape", "Shape of the part a machine must fit; needs its sizes", obj{"type": "string", "enum": []string{"box", "round"}}),
		queryParam("part_x", "Part X in mm (box)", obj{"type": "number"}),
		queryParam("part_y", "Part Y in mm (box)", obj{"type": "number"}),
		queryParam("part_z", "Part Z in mm (box)", obj{"type": "number"}),
		queryParam("part_d", "Part diameter in mm (round)", obj{"type": "number"}),
		queryParam("part_l", "Part length in mm (round)", obj{"type": "number"}),
		queryParam("tolerance_um", "A machine must hold this tolerance (± µm) or better", obj{"type": "number"}),
	)
	photoOK := obj{"description": "The image, as the type decided from its bytes at upload",
		"content": obj{"image/jpeg": obj{"schema": obj{"type": "string", "format": "binary"}},
			"image/png": obj{"schema": obj{"type": "string", "format": "binary"}}, "image/webp": obj{"schema": obj{"type": "string", "format": "binary"}}}}
	postBody := obj{"required": true, "content": obj{
		"multipart/form-data": obj{"schema": obj{"type": "object", "required": []string{"title"}, "properties": obj{
			"title":  str("Title"),
			"body":   str("Text"),
			"photos": obj{"type": "array", "maxItems": nakamawashi.MaxPhotosPerPost, "items": obj{"type": "string", "format": "binary"}, "description": "JPEG, PNG or WebP, each at most 8 MiB; the type is read from the bytes"},
		}}},
		"application/json": obj{"schema": ref("PostCreate")},
	}}

	paths["/api/v1/vocabulary"] = obj{"get": op("The process, material and certification lists", "getVocabulary", nil, nil, "200", okJSON("The vocabulary and its version", ref("Vocabulary")), "401")}
	paths["/api/v1/search"] = obj{"get": op("Search the partner directory", "search", search, nil, "200", okJSON("Companies found, with the fields the words matched", listOf("SearchHit")), "400", "401", "403")}
	paths["/api/v1/companies/{id}/profile"] = obj{
		"get": op("Get a company's profile", "getProfile", []obj{idPath}, nil, "200", okJSON("The profile (empty lists when none was entered)", ref("Profile")), "401", "404"),
		"put": op("Replace a company's profile", "updateProfile", []obj{idPath}, jsonBody(ref("Profile")), "200", okJSON("The profile", ref("Profile")), "400", "401", "403", "404", "413", "415"),
	}
	paths["/api/v1/companies/{id}/machines"] = obj{
		"get":  op("List a company's machines", "listMachines", []obj{idPath}, nil, "200", okJSON("Machines", listOf("Machine")), "401", "404"),
		"post": op("Add a machine", "createMachine", []obj{idPath}, jsonBody(ref("MachineWrite")), "201", okJSON("The machine", ref("Machine")), "400", "401", "403", "404", "413", "415"),
	}
	paths["/api/v1/companies/{id}/machines/{mid}"] = obj{
		"put":    op("Replace a machine", "updateMachine", []obj{idPath, mid}, jsonBody(ref("MachineWrite")), "200", okJSON("The machine", ref("Machine")), "400", "401", "403", "404", "413", "415"),
		"delete": op("Delete a machine", "deleteMachine", []obj{idPath, mid}, nil, "204", obj{"description": "Deleted"}, "401", "403", "404"),
	}
	paths["/api/v1/companies/{id}/posts"] = obj{
		"get":  op("List a company's posts, newest first", "listPosts", withPage(idPath), nil, "200", okJSON("Posts, with their photos' ids", listOf("Post")), "400", "401", "404"),
		"post": op("Write a post: multipart/form-data with photos, or JSON without", "createPost", []obj{idPath}, postBody, "201", okJSON("The post", ref("Post")), "400", "401", "403", "404", "413", "415"),
	}
	paths["/api/v1/companies/{id}/posts/{pid}"] = obj{
		"delete": op("Delete a post", "deletePost", []obj{idPath, pid}, nil, "204", obj{"description": "Deleted"}, "401", "403", "404"),
	}
	paths["/api/v1/photos/{id}"] = obj{"get": op("A post's photo", "getPhoto", []obj{pathParam("id", "Photo id")}, nil, "200", photoOK, "401", "404")}
	paths["/api/v1/match"] = obj{"post": op("Find partner chains for a routing", "match", nil, jsonBody(ref("MatchRequest")), "200",
		okJSON("The best chains and, per step, who was excluded and why", ref("MatchResult")), "400", "401", "403", "413", "415")}

	envelope := schemaObject([]string{"shape"}, obj{
		"shape": obj{"type": "string", "enum": []string{"box", "round"}},
		"x":     num("mm (box)"), "y": num("mm (box)"), "z": num("mm (box)"), "d": num("Diameter, mm (round)"), "l": num("Length, mm (round)"),
	})
	profile := obj{
		"company_id": integer("Company (set from the path on PUT)"), "processes": codes("Process codes"), "materials": codes("Material codes"),
		"certifications": codes("Certification codes"), "lot_sizes": obj{"type": "array", "items": ref("LotSize")},
		"capacity_hours": integer("Hours a week for the network"), "hourly_rate": integer("チャージ, yen per hour"), "employees": integer("従業員数"),
		"latitude": num("Degrees; with longitude, or neither (the address is used)"), "longitude": num("Degrees"),
		"updated_at": timeSchema("Last changed (ignored on PUT)"),
	}
	machineWrite := obj{
		"process": str("A machine process code"), "maker": str("e.g. オークマ"), "model": str("Model"), "count": integer("Identical machines (default 1)"),
		"envelope": ref("Envelope"), "axes": integer("Axes"), "tolerance_um": num("Best tolerance, ± µm"), "roughness_ra": num("Best roughness, Ra µm"),
		"note": str("Note"),
	}
	machine := obj{"id": integer("Machine id"), "company_id": integer("Company"), "created_at": timeSchema("Created"), "updated_at": timeSchema("Last changed")}
	for k, v := range machineWrite {
		machine[k] = v
	}
	group := schemaObject([]string{"code", "ja", "en"}, obj{"code": str("Code"), "ja": str("Japanese"), "en": str("English")})
	loose := func(desc string) obj { return obj{"type": "object", "description": desc} }
	for name, s := range map[string]obj{
		"LotSize":      obj{"type": "string", "enum": []string{"prototype", "small", "volume"}, "description": "試作 1–10, 小ロット 10–1000, 量産 1000+"},
		"Envelope":     envelope,
		"Profile":      schemaObject(nil, profile),
		"MachineWrite": schemaObject([]string{"process", "envelope"}, machineWrite),
		"Machine":      schemaObject([]string{"id", "company_id", "process", "count", "envelope"}, machine),
		"Photo": schemaObject([]string{"id", "content_type"}, obj{
			"id": integer("Photo id; GET /api/v1/photos/{id} or /photos/{id}"), "post_id": integer("Post"), "sha256": str("SHA-256 of the bytes"),
			"content_type": obj{"type": "string", "enum": []string{"image/jpeg", "image/png", "image/webp"}}, "size": integer("Bytes"),
			"width": integer("Pixels"), "height": integer("Pixels"),
		}),
		"Post": schemaObject([]string{"id", "company_id", "title", "created_at"}, obj{
			"id": integer("Post id"), "company_id": integer("Company"), "author_id": integer("Author"), "author_name": str("Author's name"),
			"title": str("Title"), "body": str("Text"), "photos": obj{"type": "array", "items": ref("Photo")}, "created_at": timeSchema("Posted"),
		}),
		"PostCreate": schemaObject([]string{"title"}, obj{"title": str("Title"), "body": str("Text")}),
		"SearchHit": schemaObject([]string{"company", "matched"}, obj{
			"company": ref("Company"), "profile": ref("Profile"),
			"matched": obj{"type": "array", "items": obj{"type": "string"}, "description": "Fields the words were found in: name, kana, process, material, machine, post, description"},
		}),
		"Vocabulary": schemaObject([]string{"version", "processes", "materials", "certifications"}, obj{
			"version": str("VocabularyVersion; codes are never reused"), "process_groups": obj{"type": "array", "items": group},
			"processes":       obj{"type": "array", "items": loose("code, group, ja, en, reading, kind (machine or pool), covers, retired")},
			"material_groups": obj{"type": "array", "items": group},
			"materials":       obj{"type": "array", "items": loose("code, group, ja, en, reading")},
			"certifications":  obj{"type": "array", "items": group},
			"lot_sizes":       obj{"type": "array", "items": ref("LotSize")},
		}),
		"MatchRequest": schemaObject([]string{"routing"}, obj{
			"routing": loose("steps [{process, material, part (Envelope), tolerance_um, roughness_ra, certifications, setup_hours, cycle_minutes}], quantity, origin {lat, lon}, destination {lat, lon}, start, due (RFC 3339)"),
			"k":       obj{"type": "integer", "minimum": 1, "maximum": 20, "description": "Chains to return (default 5)"},
		}),
		"MatchResult": loose("chains [{rank, steps [{step, company_id, company_name, regional, machine_id, cost, in {from_company_id, km, hours, yen}}], cost {price_yen, processing_hours, queue_hours, transport_hours, transport_yen, load_penalty, quality_penalty, fairness_penalty, volume_penalty}, score, finish_at, on_time, delivery}], steps [{step, process, eligible, excluded [{company_id, company_name, reason, detail}], excluded_total, excluded_by_reason}]; reasons: process, material, envelope, tolerance, roughness, certification, capacity"),
	} {
		schemas[name] = s
	}
}
