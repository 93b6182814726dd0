/** The /api/deviceavinfo record of Microsoft's documentation example (made valid JSON), as a given fleet. */
export const DOC_EXAMPLE = {
  id: "30a8fa2826abf24d24379b23f8a44d471f00feab", machineId: "30a8fa2826abf24d24379b23f8a44d471f00feab", computerDnsName: "appblockstg1",
  osKind: "windows", osPlatform: "Windows10", osVersion: "10.0.19044.1865", avMode: "0", avSignatureVersion: "1.371.1279.0",
  avEngineVersion: "1.1.19428.0", avPlatformVersion: "4.18.2206.108", lastSeenTime: "2022-08-02T19:40:45Z", quickScanResult: "Completed",
  quickScanError: "", quickScanTime: "2022-08-02T18:40:15.882Z", fullScanResult: "", fullScanError: "", fullScanTime: null,
  dataRefreshTimestamp: "2022-08-02T21:16:23Z", avEngineUpdateTime: "2022-08-02T00:03:39Z", avSignatureUpdateTime: "2022-08-02T00:03:39Z",
  avPlatformUpdateTime: "2022-06-20T16:59:35Z", avIsSignatureUpToDate: "True", avIsEngineUpToDate: "True", avIsPlatformUpToDate: "True",
  avSignaturePublishTime: "2022-08-02T00:03:39Z", rbacGroupName: "TVM1", rbacGroupId: 4415,
};
