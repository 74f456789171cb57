#include "harness/proxy/pcap_file.hpp"

#include "harness/core/errors.hpp"

namespace camleak::proxy {
namespace {
constexpr int kSnapLength = 262144;  // larger than any synthesized frame
}

PcapFile::PcapFile(const std::string& path)
    : path_(path), pcap_(pcap_open_dead(DLT_EN10MB, kSnapLength)) {
  if (!pcap_) throw HarnessError("pcap: cannot open a dead capture handle");
  dumper_.reset(pcap_dump_open(pcap_.get(), path.c_str()));
  if (!dumper_) {
    throw HarnessError("pcap: cannot create " + path + ": " + pcap_geterr(pcap_.get()));
  }
}

void PcapFile::write(std::chrono::system_clock::time_point when, std::span<const uint8_t> frame) {
  const auto us =
      std::chrono::duration_cast<std::chrono::microseconds>(when.time_since_epoch()).count();
  pcap_pkthdr header{};
  header.ts.tv_sec = static_cast<time_t>(us / 1'000'000);
  header.ts.tv_usec = static_cast<suseconds_t>(us % 1'000'000);
  header.caplen = static_cast<bpf_u_int32>(frame.size());
  header.len = static_cast<bpf_u_int32>(frame.size());
  pcap_dump(reinterpret_cast<u_char*>(dumper_.get()), &header, frame.data());
}

void PcapFile::flush() {
  pcap_dump_flush(dumper_.get());
}

}  // namespace camleak::proxy
