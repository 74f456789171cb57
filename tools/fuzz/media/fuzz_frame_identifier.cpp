// Fuzzes the hub's whole identification path on hostile bytes: the input is read as an Annex-B
// access unit and given to one long-lived FrameIdentifier (so decoder state carries over between
// inputs, as on a real stream), and as a snapshot body to identify_jpeg. FFmpeg itself is not
// instrumented; this checks that our wrapper never crashes, never reads out of bounds and never
// lets memory grow (libFuzzer's -rss_limit_mb and leak detection), whatever the decoder says.
#include <cstdint>
#include <cstdlib>

#include "emulators/h264/nal.hpp"
#include "emulators/media/crypto.hpp"
#include "emulators/media/frame_identifier.hpp"
#include "emulators/media/media_error.hpp"
#include "emulators/media/still_image.hpp"

using namespace camleak::media;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool quiet = (quiet_ffmpeg_logging(), true);
  (void)quiet;
  static const DecoderLimits limits{.max_width = 1024, .max_height = 1024};
  static FrameIdentifier identifier(run_key_from_seed(1), limits);
  const ByteView input(data, size);

  const FrameIdentity id = identifier.identify(h264::split_annexb(input));
  if (id.status == camleak::DecodeStatus::ok && identifier.picture().empty()) std::abort();
  if (id.pixel_code && identifier.picture().empty()) std::abort();

  const SnapshotIdentity snapshot = identify_jpeg(input, limits);
  if (snapshot.status == camleak::DecodeStatus::ok && snapshot.picture.empty()) std::abort();
  return 0;
}
