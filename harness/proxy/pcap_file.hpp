#pragma once
// A pcap file being written (libpcap's pcap_open_dead + pcap_dump_open), Ethernet link type.
#include <pcap/pcap.h>

#include <chrono>
#include <memory>
#include <span>
#include <string>

namespace camleak::proxy {

class PcapFile {
 public:
  // Throws HarnessError when the file cannot be created.
  explicit PcapFile(const std::string& path);

  void write(std::chrono::system_clock::time_point when, std::span<const uint8_t> frame);
  void flush();
  const std::string& path() const { return path_; }

 private:
  struct PcapCloser {
    void operator()(pcap_t* p) const { pcap_close(p); }
  };
  struct DumperCloser {
    void operator()(pcap_dumper_t* d) const { pcap_dump_close(d); }
  };

  std::string path_;
  std::unique_ptr<pcap_t, PcapCloser> pcap_;
  std::unique_ptr<pcap_dumper_t, DumperCloser> dumper_;  // declared last: closed first
};

}  // namespace camleak::proxy
