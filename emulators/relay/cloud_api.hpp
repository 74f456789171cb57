#pragma once
// The relay's HTTP endpoints in the cloud layout (layout.hpp): the /v2 admin API behind an
// X-Api-Key, stream tickets and snapshots by query token.
#include "emulators/relay/http_server.hpp"

namespace camleak::relay {

void handle_cloud_admin_request(RelayCore& core, const HttpRequest& request, Respond respond);
HttpResponse handle_cloud_http_request(RelayCore& core, const HttpRequest& request);

}  // namespace camleak::relay
