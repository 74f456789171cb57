#include "harness/oracle/verdict.hpp"

#include <cstdio>

namespace camleak::oracle {

std::string_view to_string(VerdictKind kind) {
  switch (kind) {
    case VerdictKind::leak:
      return "LEAK";
    case VerdictKind::splice:
      return "SPLICE";
    case VerdictKind::forged:
      return "FORGED";
    case VerdictKind::stale:
      return "STALE";
    case VerdictKind::unverifiable:
      return "UNVERIFIABLE";
    case VerdictKind::ok:
      return "OK";
  }
  return "UNKNOWN";
}

std::string format_seconds(Micros t) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.3fs", static_cast<double>(t.count()) / 1e6);
  return buf;
}

std::string describe(const Finding& finding) {
  const auto& o = finding.observation;
  const auto& v = finding.verdict;
  std::string text(to_string(v.kind));
  text += ": hub '" + o.hub + "' (account '" + o.account + "') received ";
  text += o.kind == DeliveryKind::snapshot ? "a snapshot" : "a frame";
  text += " of camera '" + (v.camera.empty() ? std::string("?") : v.camera) + "'";
  text += " (owner '" + (v.owner.empty() ? std::string("?") : v.owner) + "')";
  text += " at " + format_seconds(o.received_at);
  text += ", sequence ";
  text += o.sei ? std::to_string(o.sei->sequence) : std::string("none");
  if (o.requested_camera != v.camera) text += ", requested camera '" + o.requested_camera + "'";
  if (o.probe) text += ", authorization probe";
  if (!v.reason.empty()) text += ": " + v.reason;
  return text;
}

}  // namespace camleak::oracle
