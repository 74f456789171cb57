#pragma once
// FFmpeg failures crossing the media module's edge. Bad input (corrupt H.264, a JPEG that is not
// a JPEG) is never an exception: it is reported as a DecodeStatus. Only a failure of the harness
// itself (an encoder that will not open, out of memory) throws.
#include <string>
#include <string_view>

#include "harness/core/errors.hpp"

namespace camleak::media {

class MediaError : public HarnessError {
 public:
  // `what` names the operation ("avcodec_open2(libx264)"); `averror` is the FFmpeg error code.
  MediaError(std::string_view what, int averror);
  explicit MediaError(const std::string& message) : HarnessError(message) {}
  int averror() const { return averror_; }

 private:
  int averror_ = 0;
};

// av_strerror text for an FFmpeg error code.
std::string av_error_text(int averror);

// Throws MediaError when `rc` is negative; returns it otherwise.
inline int check_av(int rc, std::string_view what) {
  if (rc < 0) throw MediaError(what, rc);
  return rc;
}

// FFmpeg logs every concealed macroblock of a corrupt stream to stderr; at fleet scale under a
// lossy link that is a flood. Tests, benchmarks and the runner call this once to keep only
// fatal messages (the statuses carry what matters).
void quiet_ffmpeg_logging();

}  // namespace camleak::media
