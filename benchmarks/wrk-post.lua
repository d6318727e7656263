-- wrk script for wrk-smoke.sh: every request is the same POST, signed once before the run.
-- Arguments after "--": BODY_FILE SIGNATURE_HEADER_VALUE
function init(args)
    local file = assert(io.open(args[1], "rb"))
    wrk.body = file:read("*a")
    file:close()
    wrk.method = "POST"
    wrk.headers["Content-Type"] = "application/json"
    wrk.headers["X-Webhook-Signature"] = args[2]
end
