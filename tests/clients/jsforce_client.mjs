// jsforce 3, unmodified, against flowforce over HTTPS (the server's CA comes in through NODE_EXTRA_CA_CERTS).
// Run by tests/clients/test_jsforce.py with FF_* variables; prints one JSON line per step; any error fails it.
import jsforce from 'jsforce';

const env = process.env;
const loginUrl = env.FF_INSTANCE_URL;
const version = env.FF_API_VERSION;
const password = env.FF_PASSWORD + env.FF_SECURITY_TOKEN;
const oauth2 = { loginUrl, clientId: env.FF_CLIENT_ID, clientSecret: env.FF_CLIENT_SECRET };

const step = (name, result) => console.log(JSON.stringify({ step: name, result }));

async function logins() {
  const soap = new jsforce.Connection({ loginUrl, version });
  const soapInfo = await soap.login(env.FF_USERNAME, password);
  step('soap_login', { instanceUrl: soap.instanceUrl, orgId: soapInfo.organizationId, userId: soapInfo.id });
  const byPassword = new jsforce.Connection({ oauth2, version });
  const info = await byPassword.login(env.FF_USERNAME, password);
  step('oauth_password_login', { instanceUrl: byPassword.instanceUrl, orgId: info.organizationId });
  const byClient = new jsforce.Connection({ oauth2, version });
  await byClient.authorize({ grant_type: 'client_credentials' });
  const identity = await byClient.identity();
  step('client_credentials', { instanceUrl: byClient.instanceUrl, username: identity.username });
  return byPassword;
}

async function records(conn) {
  const accounts = conn.sobject('Account');
  const created = await accounts.create({ Name: 'Jsforce Co', Industry: 'Energy' });
  step('create', created);
  const fetched = await accounts.retrieve(created.id);
  step('retrieve', { Name: fetched.Name, Industry: fetched.Industry });
  step('update', await accounts.update({ Id: created.id, Industry: 'Banking' }));
  step('upsert_created', await accounts.upsert({ Name: 'Js Upserted', External_Key__c: 'JS-1' }, 'External_Key__c'));
  step('upsert_updated', await accounts.upsert({ Name: 'Js Upserted Again', External_Key__c: 'JS-1' },
    'External_Key__c'));
  const doomed = await accounts.create({ Name: 'Js Doomed' });
  step('destroy', await accounts.destroy(doomed.id));
  try {
    await accounts.retrieve(doomed.id);
    step('retrieve_destroyed', 'found');
  } catch (error) {
    step('retrieve_destroyed', error.errorCode);
  }
  const describe = await accounts.describe();
  step('describe', { name: describe.name, keyPrefix: describe.keyPrefix });
}

async function queries(conn) {
  for (let start = 0; start < 450; start += 200) {
    const batch = [];
    for (let n = start; n < Math.min(start + 200, 450); n++) batch.push({ Name: `JsPaged ${String(n).padStart(3, '0')}` });
    const saved = await conn.sobject('Account').create(batch, { allOrNone: true });
    if (!saved.every((item) => item.success)) throw new Error(JSON.stringify(saved));
  }
  const soql = "SELECT Name FROM Account WHERE Name LIKE 'JsPaged %' ORDER BY Name";
  const firstPage = await conn.query(soql, { headers: { 'Sforce-Query-Options': 'batchSize=200' } });
  step('query_first_page', { size: firstPage.records.length, done: firstPage.done, totalSize: firstPage.totalSize });
  const { records } = await conn.query(soql).execute({ autoFetch: true, maxFetch: 1000,
    headers: { 'Sforce-Query-Options': 'batchSize=200' } });
  step('query_autofetch', { size: records.length, first: records[0].Name, last: records[records.length - 1].Name });
}

async function flow(conn) {
  const parent = await conn.sobject('Account').create({ Name: 'Js Feed Parent' });
  const post = await conn.sobject('FeedItem').create({ ParentId: parent.id, Body: 'jsforce post with replies' });
  const result = await conn.requestPost('/actions/custom/flow/Escalate_to_Case',
    { inputs: [{ FeedItemId: post.id, CommentCount: 7 }] });
  step('invoke_flow', result.map((item) => ({ isSuccess: item.isSuccess, Status: item.outputValues.Status,
    CaseId: item.outputValues.CaseId })));
}

// The web server flow as an app does it: authorize URL with a PKCE challenge, the user logs in on the page
// (here with fetch, keeping the CSRF cookie), the app trades the code (and verifier) for tokens.
async function webServerFlow() {
  const web = new jsforce.OAuth2({ loginUrl, clientId: env.FF_WEB_CLIENT_ID, clientSecret: env.FF_WEB_CLIENT_SECRET,
    redirectUri: env.FF_WEB_CALLBACK, useVerifier: true });
  const page = await fetch(web.getAuthorizationUrl({ state: 'js-state', scope: 'api refresh_token' }));
  const cookie = page.headers.get('set-cookie').split(';')[0];
  const form = new URLSearchParams();
  for (const [, name, value] of (await page.text()).matchAll(/<input type="hidden" name="([a-z_]+)" value="([^"]*)">/g)) {
    form.set(name, value.replaceAll('&quot;', '"').replaceAll('&amp;', '&'));
  }
  form.set('username', env.FF_USERNAME);
  form.set('password', env.FF_PASSWORD);
  const loggedIn = await fetch(`${loginUrl}/services/oauth2/authorize`, { method: 'POST', body: form, redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' } });
  const callback = new URL(loggedIn.headers.get('location'));
  const conn = new jsforce.Connection({ oauth2: web, version });
  const info = await conn.authorize(callback.searchParams.get('code'));
  step('web_server_flow', { status: loggedIn.status, state: callback.searchParams.get('state'), userId: info.id,
    hasRefreshToken: Boolean(conn.refreshToken) });
  return { web, conn };
}

// A 401 makes jsforce refresh the session once and retry; a dead refresh token ends in an error, not a loop.
async function refreshOn401({ web, conn }) {
  let refreshes = 0;
  conn.on('refresh', () => { refreshes += 1; });
  await web.revokeToken(conn.accessToken);
  const after = await conn.query('SELECT COUNT() FROM Account');
  step('refresh_on_401', { refreshes, totalSize: after.totalSize });
  await web.revokeToken(conn.refreshToken);
  await web.revokeToken(conn.accessToken).catch(() => undefined);
  try {
    await conn.query('SELECT COUNT() FROM Account');
    step('dead_refresh_token', 'query succeeded');
  } catch (error) {
    step('dead_refresh_token', { refreshes, error: `${error.name}: ${error.message}` });
  }
}

async function reloginOn401(conn) {
  let refreshes = 0;
  conn.on('refresh', () => { refreshes += 1; });
  await new jsforce.OAuth2(oauth2).revokeToken(conn.accessToken);
  const after = await conn.query("SELECT COUNT() FROM Account WHERE Name = 'Jsforce Co'");
  step('relogin_on_401', { refreshes, totalSize: after.totalSize });
}

const conn = await logins();
await records(conn);
await queries(conn);
await flow(conn);
await refreshOn401(await webServerFlow());
await reloginOn401(conn);
