#pragma once
// The emulated hub: a viewer device logged in as one account. It plays each watched camera
// (DESCRIBE/SETUP/PLAY, Basic account:token, one RTSP session per camera), polls snapshots over
// HTTP (Bearer token), and probes cameras its account must NOT see. Every delivered frame and
// snapshot becomes a camleak::Observation carrying the identity read from the media itself;
// every play, snapshot and probe becomes a camleak::Operation.
//
//   DecodePool pool(2);                          // shared by every hub of the run
//   auto hub = Hub::create(io, clock, config, run_key, ids, pool, hooks);
//   hub->start();        ... hub->force_reconnect(); ... hub->stop();
//
// Media path: RTP -> H264Depacketizer (on the io thread; complete access units only) ->
// DecodePool (one FrameIdentifier per stream, frames of a stream in order on one worker) ->
// on_observation. The receive time is taken when the access unit completed, on the io thread.
// A lost session, a refused play or a stall (no media for media_timeout) redials after a
// seeded exponential backoff; the SETUP of a redial carries the previous Session id as a resume
// hint (a correct SUT ignores or validates it; the reference relay's restart-session-swap
// defect trusts it).
//
// Probes: a PLAY or snapshot answered 2xx = ok, a violation whatever the body or media that
// follows (frames that do arrive are observations with probe = true); refused (401/403/404) =
// fail; no status before the connection failed or timed out = info (DESIGN.md verdict rules).
//
// Threading: a Hub lives on one io_context run by ONE thread. start/stop/force_reconnect may be
// called from any thread (dispatched). on_operation runs on the io thread; on_observation runs
// on decode-pool worker threads (concurrently for different streams: make it thread-safe) and
// gets the decoded picture (empty for undecodable data) to keep or write as evidence during the
// call. It must not wait for the io thread (stop() waits for a running observation). After stop()
// has run, no observation is delivered. The DecodePool must outlive the hub's stop().
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "emulators/camera/backoff.hpp"
#include "emulators/camera/history.hpp"
#include "emulators/hub/decode_pool.hpp"
#include "emulators/hub/http_get.hpp"
#include "emulators/hub/hub_config.hpp"
#include "emulators/hub/hub_counters.hpp"
#include "emulators/media/crypto.hpp"
#include "emulators/media/picture.hpp"
#include "emulators/rtsp/conformance.hpp"
#include "harness/core/clock.hpp"
#include "harness/core/observation.hpp"
#include "harness/core/rng.hpp"

namespace camleak::emulators {

using ObservationSink = std::function<void(const Observation&, const media::Picture& picture)>;

struct HubHooks {
  OperationSink on_operation;
  ObservationSink on_observation;
  // RFC deviations of the SUT the hub's RTSP clients tolerated; none: the hub keeps its own.
  std::shared_ptr<rtsp::Conformance> conformance;
};

class Hub : public std::enable_shared_from_this<Hub> {
 public:
  // Throws InputError for a bad config.
  static std::shared_ptr<Hub> create(boost::asio::io_context& io, const Clock& clock,
                                     HubConfig config, const media::RunKey& key, IdCounter& ids,
                                     DecodePool& pool, HubHooks hooks);
  ~Hub();
  Hub(const Hub&) = delete;
  Hub& operator=(const Hub&) = delete;

  void start();
  // Drops every live session now and redials them at once (with their resume hints): the hub
  // side of a reconnect storm.
  void force_reconnect();
  // The account was just granted `camera`: a play of it that is waiting out its backoff after
  // refusals dials now, as an app told of a new share would (a connected play is left alone).
  void retry_now(const std::string& camera);
  // Closes every session, stops polling and probing, and detaches from the decode pool.
  void stop();

  const HubConfig& config() const { return config_; }
  HubCounters counters() const;
  // What the SUT got away with (thread-safe; see emulators/rtsp/conformance.hpp).
  const rtsp::Conformance& conformance() const { return *conformance_; }
  // Watched cameras whose play session is currently established (io thread).
  std::size_t streaming_count() const;

  struct Shared;
  struct Play;

 private:
  struct Passkey {};

 public:
  Hub(Passkey, boost::asio::io_context& io, const Clock& clock, HubConfig config,
      const media::RunKey& key, IdCounter& ids, DecodePool& pool, HubHooks hooks);

 private:
  std::shared_ptr<Play> make_play(const std::string& camera, bool probe);
  // Asks for an issued URL first when the config has an issuer; then open_play.
  void dial(const std::shared_ptr<Play>& play);
  void open_play(const std::shared_ptr<Play>& play, uint64_t generation, const std::string& url);
  // An authorization probe whose stream-URL request the SUT answered 2xx: granted, not played.
  void probe_granted_by_issuer(const std::shared_ptr<Play>& play, Micros invoked_at, int status);
  void on_play_done(const std::shared_ptr<Play>& play, uint64_t generation, Micros invoked_at,
                    const rtsp::ClientError& error, const std::string& session_id);
  void on_play_lost(const std::shared_ptr<Play>& play, bool stall);
  void drop_connection(Play& play);
  void schedule_redial(const std::shared_ptr<Play>& play);
  void arm_watchdog(const std::shared_ptr<Play>& play);
  void send_receiver_report(Play& play, Micros now);
  void finish_probe(const std::shared_ptr<Play>& play);

  void arm_snapshot_timer();
  void poll_snapshots();
  void request_snapshot(const std::string& camera, bool probe);
  void on_snapshot(const std::string& camera, bool probe, Micros invoked_at,
                   HttpGetResult&& result);

  void arm_probe_timer();
  void send_probe();

  void emit(Operation op);

  boost::asio::io_context& io_;
  const Clock& clock_;
  HubConfig config_;
  DecodePool& pool_;
  OperationSink on_operation_;
  std::shared_ptr<rtsp::Conformance> conformance_;
  std::shared_ptr<Shared> shared_;
  Rng rng_;
  Rng probe_rng_;

  std::vector<std::shared_ptr<Play>> watched_;
  std::list<std::shared_ptr<Play>> probes_;
  std::shared_ptr<DecodePool::Stream> snapshot_stream_;
  std::set<std::string> snapshots_in_flight_;  // "probe:"-prefixed for probe requests
  boost::asio::steady_timer snapshot_timer_;
  boost::asio::steady_timer probe_timer_;
  uint64_t probes_sent_ = 0;
  bool started_ = false;
  bool stopped_ = false;
};

}  // namespace camleak::emulators
