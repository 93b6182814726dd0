// Microsoft Defender for Endpoint antivirus health of a fleet as a read-only Pulumi data source.
package avhealth
