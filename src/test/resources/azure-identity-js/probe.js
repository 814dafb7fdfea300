// Gets one token with the real @azure/identity SDK and prints it; AzureJsSdkTest runs it with only
// AZURE_POD_IDENTITY_AUTHORITY_HOST set, pointing at Jeton's IMDS listener.
// Arguments: MODE SCOPE [ID], MODE one of system, client-id, resource-id, object-id, default.
const { ManagedIdentityCredential, DefaultAzureCredential } = require("@azure/identity");

function credential(mode, id) {
  switch (mode) {
    case "system": return new ManagedIdentityCredential();
    case "client-id": return new ManagedIdentityCredential({ clientId: id });
    case "resource-id": return new ManagedIdentityCredential({ resourceId: id });
    case "object-id": return new ManagedIdentityCredential({ objectId: id });
    case "default": return new DefaultAzureCredential();
    default: throw new Error("unknown mode " + mode);
  }
}

const [mode, scope, id] = process.argv.slice(2);
credential(mode, id).getToken(scope).then((token) => {
  console.log("TOKEN " + token.token);
  console.log("EXPIRES " + Math.floor(token.expiresOnTimestamp / 1000));
}).catch((e) => {
  console.error("ERROR " + e.name + ": " + e.message);
  process.exit(1);
});
