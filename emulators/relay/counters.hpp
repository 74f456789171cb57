#pragma once
// Every event the relay counts, exposed on GET /admin/stats. One X-macro list keeps the struct,
// the JSON names and the documentation in one place.
#include <boost/json/object.hpp>
#include <cstdint>

namespace camleak::relay {

#define CAMLEAK_RELAY_COUNTERS(X)                                                              \
  X(rtsp_connections_accepted) /* TCP connections accepted on the RTSP port */                 \
  X(rtsp_connections_refused)  /* closed at once: max_connections reached */                   \
  X(rtsp_requests)             /* RTSP requests parsed */                                      \
  X(rtsp_bad_requests)         /* answered 4xx/5xx because the request itself was bad */       \
  X(rtsp_parse_errors)         /* malformed RTSP input: bad lines, garbage, oversize */        \
  X(rtsp_garbage_bytes)        /* bytes skipped while resynchronising */                       \
  X(rtsp_fatal_framing)        /* connections closed because the stream could not be framed */ \
  X(auth_failures)             /* 401 answers (RTSP and HTTP) */                               \
  X(not_found)                 /* 404 answers for unknown cameras */                           \
  X(publish_sessions_started)  /* RECORD accepted */                                           \
  X(publish_sessions_replaced) /* an older publisher closed by a reconnect of its camera */    \
  X(play_sessions_started)     /* PLAY accepted */                                             \
  X(sessions_timed_out)        /* closed after timeouts.session / timeouts.ingest idle */      \
  X(write_stalls)              /* connections closed after timeouts.write_stall */             \
  X(viewers_revoked)           /* active viewers stopped by re-authorization */                \
  X(sdp_rejected)              /* ANNOUNCE bodies without usable H.264 */                      \
  X(rtp_packets_in)            /* RTP packets received from publishers */                      \
  X(rtp_packets_invalid)       /* publisher packets that are not RTP (or wrong PT) */          \
  X(rtp_packets_foreign)       /* UDP packets from an address other than the publisher */      \
  X(rtcp_sender_reports_in)    /* RTCP SR received (cameras), interleaved or UDP */            \
  X(rtcp_receiver_reports_in)  /* RTCP RR received (viewers), interleaved or UDP */            \
  X(rtcp_invalid)              /* RTCP channel/port packets that do not parse as RTCP */       \
  X(frames_in)                 /* complete access units received */                            \
  X(frames_incomplete)         /* access units dropped: loss or broken fragmentation */        \
  X(frames_oversize)           /* access units dropped: over max_access_unit_bytes */          \
  X(frames_out)                /* access units sent to viewers (sum over viewers) */           \
  X(frames_dropped)            /* access units dropped for slow viewers (sum) */               \
  X(fast_start_frames)         /* frames sent from the per-camera GOP cache on PLAY */         \
  X(gop_cache_overflows)       /* GOP cache cleared because it hit its frame/byte cap */       \
  X(udp_send_drops)            /* viewer UDP datagrams the kernel refused */                   \
  X(http_connections_accepted)                                                                 \
  X(http_connections_refused)                                                                  \
  X(http_requests)                                                                             \
  X(http_bad_requests) /* malformed HTTP or admin requests (400) */                            \
  X(admin_changes)     /* successful provisioning changes */                                   \
  X(snapshots_served)                                                                          \
  X(snapshots_encoded)     /* JPEG encodes (cache misses) */                                   \
  X(snapshots_unavailable) /* 503: no decodable frame yet */                                   \
  X(state_writes)          /* durable writes: journal batches (group commits) and snapshots */ \
  X(state_compactions)     /* snapshots that replaced a grown journal */                       \
  X(state_write_errors)                                                                        \
  X(resume_cache_frames_served) /* weak-signal-cache: frames served from a slot's cache */     \
  X(mapping_lookups)            /* storm-mapping-mixup path: async lookups issued */           \
  X(mapping_authoritative)      /* first-time camera connections resolved directly */          \
  X(session_resumes_honoured)   /* SETUP resume hints accepted */                              \
  X(session_resumes_ignored)    /* SETUP resume hints refused (fresh session instead) */       \
  X(tls_handshake_failures)     /* RTSP and HTTP(S) connections closed: TLS handshake failed */

struct RelayCounters {
#define CAMLEAK_RELAY_COUNTER_FIELD(name) uint64_t name = 0;
  CAMLEAK_RELAY_COUNTERS(CAMLEAK_RELAY_COUNTER_FIELD)
#undef CAMLEAK_RELAY_COUNTER_FIELD

  boost::json::object to_json() const {
    boost::json::object out;
#define CAMLEAK_RELAY_COUNTER_JSON(name) out[#name] = name;
    CAMLEAK_RELAY_COUNTERS(CAMLEAK_RELAY_COUNTER_JSON)
#undef CAMLEAK_RELAY_COUNTER_JSON
    return out;
  }
};

}  // namespace camleak::relay
