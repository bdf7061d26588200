// A real OpenID Connect provider for the tests (panva's certified oidc-provider), standing in
// for the national identity provider (VNeID): started by tests/e2e/oidc.py on 127.0.0.1.
//
//   node oidc_provider.mjs --port 8123 --client-id econsult --client-secret s3cret \
//        --redirect-uri http://127.0.0.1:8000/tai-khoan/oidc/vneid/login/callback/ [--acr 2]
//
// One confidential client; any login name signs in as the account of that name, whose claims
// are sub (the name), email (<name>@vneid.example, verified), name ("Nguyễn Thị Lan" unless
// the name is given in the form; no e-mail for a name starting "khong-email") and, in the ID
// token, acr (--acr, "2" by default). The login
// page has a "Huỷ" (cancel) button, which answers the client with error=access_denied, as a
// person refusing at the provider. Consent is implied (a first-party client). Prints
// "ready <issuer>" once listening.

import http from "node:http";
import { parseArgs } from "node:util";

import { Provider } from "oidc-provider";

const { values: args } = parseArgs({
  options: {
    port: { type: "string" },
    "client-id": { type: "string" },
    "client-secret": { type: "string" },
    "redirect-uri": { type: "string", multiple: true },
    acr: { type: "string", default: "2" },
  },
});

const port = Number(args.port);
const issuer = `http://127.0.0.1:${port}`;
const names = new Map(); // login name → display name given on the login page

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: args["client-id"],
      client_secret: args["client-secret"],
      redirect_uris: args["redirect-uri"],
      grant_types: ["authorization_code"],
      response_types: ["code"],
    },
  ],
  claims: {
    openid: ["sub", "acr"],
    email: ["email", "email_verified"],
    profile: ["name"],
  },
  acrValues: ["1", "2"],
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  cookies: { keys: ["oidc-provider-test-only-key"] },
  // A first-party client: the person is not asked to consent to each scope.
  async loadExistingGrant(ctx) {
    const grantId =
      ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope("openid email profile");
    grant.addOIDCClaims(["email", "email_verified", "name", "acr"]);
    await grant.save();
    return grant;
  },
  async findAccount(ctx, sub) {
    return {
      accountId: sub,
      async claims() {
        const name = names.get(sub) || "Nguyễn Thị Lan";
        // A login name starting "khong-email" has no e-mail address at the provider.
        if (sub.startsWith("khong-email")) return { sub, name };
        return { sub, email: `${sub}@vneid.example`, email_verified: true, name };
      },
    };
  },
});
provider.proxy = false;

function page(uid) {
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>VNeID (thử nghiệm)</title></head>
<body><h1>Đăng nhập VNeID (nhà cung cấp thử nghiệm)</h1>
<form method="post" action="/interaction/${uid}/login">
<label>Số định danh <input name="login" required autofocus></label>
<label>Họ và tên <input name="name"></label>
<label>Mật khẩu <input name="password" type="password"></label>
<button type="submit">Đăng nhập</button></form>
<form method="post" action="/interaction/${uid}/abort"><button type="submit">Huỷ</button></form>
</body></html>`;
}

async function body(req) {
  let data = "";
  for await (const chunk of req) data += chunk;
  return new URLSearchParams(data);
}

const handler = provider.callback();
const server = http.createServer(async (req, res) => {
  const match = new URL(req.url, issuer).pathname.match(
    /^\/interaction\/([^/]+)(?:\/(login|abort))?$/,
  );
  if (!match) return handler(req, res);
  try {
    const [, uid, action] = match;
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new Error("interaction mismatch");
    if (!action && req.method === "GET") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      return res.end(page(uid));
    }
    if (req.method !== "POST") {
      res.writeHead(405);
      return res.end();
    }
    const form = await body(req);
    if (action === "abort") {
      return await provider.interactionFinished(
        req,
        res,
        { error: "access_denied", error_description: "End-User aborted interaction" },
        { mergeWithLastSubmission: false },
      );
    }
    const login = (form.get("login") || "").trim();
    if (!login) {
      res.writeHead(400, { "content-type": "text/html; charset=utf-8" });
      return res.end(page(uid));
    }
    if (form.get("name")) names.set(login, form.get("name"));
    return await provider.interactionFinished(
      req,
      res,
      { login: { accountId: login, acr: args.acr } },
      { mergeWithLastSubmission: false },
    );
  } catch (error) {
    res.writeHead(400, { "content-type": "text/plain; charset=utf-8" });
    res.end(String(error));
  }
});

server.listen(port, "127.0.0.1", () => {
  console.log(`ready ${issuer}`);
});
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
