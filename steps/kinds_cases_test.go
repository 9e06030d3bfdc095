package steps

import "github.com/pcflow/pcflow/sim"

// Building blocks of the cases: step lists that bring a capture into scope.
const (
	revoked      = "- revoke-authorization-token: {}\n"
	reserveChain = "- reserve-token-space: {}\n- retrieve-temporary-data-token: {commandId: \"${reservation_id}\"}\n"
	deviceChain  = "- request-device-identifier: {deviceName: d1}\n- retrieve-device-identifier: {id: \"${device_request_id}\"}\n"
	approved     = deviceChain + "- approve-device: {deviceIdentifier: \"${device_id}\"}\n"
	authDevice   = "- register-authenticator-device: {}\n"
	votingConfig = "- register-voting-configuration: {name: vc1}\n"
	policyChain  = "- register-policy: {name: p1, policyTemplateId: tpl-data-access, applyingEventIds: [\"17\"]}\n" +
		"- retrieve-policy: {name: p1}\n"
	oauthChain = "- register-oauth-application: {name: app, redirectUri: \"https://app.test/cb\"}\n" +
		"- retrieve-oauth-application-configuration: {applicationId: \"${application_id}\"}\n"
	codeChain  = oauthChain + "- request-oauth-authorization-code: {client_id: \"${client_id}\", nonce: n1}\n"
	codeStep   = "- retrieve-oauth-authorization-code: {client_id: \"${client_id}\", id: \"${code_request_id}\", nonce: n1}\n"
	tokenChain = codeChain + codeStep +
		"- obtain-oauth-access-token: {client_id: \"${client_id}\"}\n"
	poolChain = authDevice + votingConfig + "- create-voting: {votingConfigurationId: vc1}\n"
)

// status expects an HTTP status of the last step.
func status(steps, code string) string { return steps + "  expect: {status: " + code + "}" }

// denied is a step refused with 401 because the token was revoked first.
func denied(step string) string { return status(revoked+step+"\n", "401") }

// rejected expects the last step's command to be rejected with reason.
func rejected(steps, reason string) string {
	return steps + "  expect: {command-status: rejected, reason: " + reason + "}"
}

var httpDown = sim.Options{HTTPErrorRate: 1}

func kindCases() map[string]kindCase {
	return map[string]kindCase{
		// generic
		"http": {pos: "- http: {path: /health, auth: none}\n- http: {method: POST, path: /data-token/reserve-token-space, form: {context: c}, await: ack}\n" +
			"- upload: {}\n- http: {method: POST, path: /data-token/request-data, form: {token: \"${data_token}\"}, await: request}",
			neg: status("- http: {path: /no/such/path}\n", "404")},
		"sleep":  {pos: "- sleep: 1ms..2ms", neg: "- sleep: 1s\n  timeout: 1ms", fails: "timeout", public: true},
		"group":  {pos: "- group: {steps: [{check-server-health: {}}]}", neg: status("- group: {steps: [{http: {path: /no/such}}]}\n", "404")},
		"repeat": {pos: "- repeat: {count: 2, steps: [{check-server-health: {}}]}", neg: rejected("- repeat: {count: 2, steps: [{approve-device: {deviceIdentifier: nosuch}}]}\n", "device.not_found")},
		// composites
		"onboard": {pos: "- onboard: {}", neg: status("- register-profile: {username: taken-1, password: \"Right-pass-1!\"}\n"+
			"- onboard: {username: taken-1, password: \"Wrong-pass-1!\"}\n", "409")},
		"upload":                        {pos: "- upload: {size: 64KiB}", neg: status("- upload: {ttl: 300}\n", "422")},
		"download":                      {pos: "- upload: {}\n- download: {token: \"${data_token}\", verify: true}", neg: status("- download: {token: dtk-nosuch}\n", "404")},
		"register-authenticator-device": {pos: authDevice, neg: denied("- register-authenticator-device: {}")},
		"gate-with-vote": {pos: authDevice + "- gate-with-vote: {}",
			neg: rejected("- gate-with-vote: {policyTemplateId: nosuch, applyingEventIds: [\"17\"]}\n", "policy.template_not_found")},
		"vote": {pos: authDevice + votingConfig + "- vote: {votingConfigurationId: vc1}",
			neg: rejected("- vote: {votingConfigurationId: nosuch}\n", "voting_configuration.not_found")},
		// U
		"check-server-health":    {pos: "- check-server-health: {}", neg: status("- check-server-health: {}\n", "503"), simNeg: httpDown, public: true},
		"request-command-status": {pos: "- reserve-token-space: {}\n- request-command-status: {commandId: \"${reservation_id}\"}", neg: status("- request-command-status: {commandId: nosuch}\n", "404")},
		// P
		"register-profile": {pos: "- register-profile: {username: \"rp-${random.hex(8)}\", password: \"Pass-word-1!\"}",
			neg: status("- register-profile: {username: rp-dup, password: \"Pass-word-1!\"}\n- register-profile: {username: rp-dup, password: \"Pass-word-1!\"}\n", "409")},
		"authenticate":                    {pos: "- authenticate: {}", neg: status("- authenticate: {username: \"${username}\", password: \"Wrong-pass-1!\"}\n", "401")},
		"retrieve-profile-id":             {pos: "- retrieve-profile-id: {}", neg: denied("- retrieve-profile-id: {}")},
		"change-password":                 {pos: "- change-password: {newPassword: \"N3w-pass-word!\"}", neg: rejected("- change-password: {currentPassword: \"Wrong-pass-1!\", newPassword: \"N3w-pass-word!\"}\n", "profile.invalid_password")},
		"generate-qr-token":               {pos: "- generate-qr-token: {}", neg: denied("- generate-qr-token: {}")},
		"reauthorize-authorization-token": {pos: "- reauthorize-authorization-token: {}\n- retrieve-profile-id: {}", neg: status("- reauthorize-authorization-token: {ttl: 10}\n", "422")},
		"revoke-authorization-token":      {pos: "- revoke-authorization-token: {}", neg: denied("- revoke-authorization-token: {}")},
		"retrieve-token-expiry":           {pos: "- retrieve-token-expiry: {}", neg: denied("- retrieve-token-expiry: {}")},
		// O
		"register-oauth-application":               {pos: oauthChain, neg: denied("- register-oauth-application: {name: app, redirectUri: \"https://app.test/cb\"}")},
		"retrieve-oauth-application-configuration": {pos: oauthChain, neg: status(oauthChain+"- retrieve-oauth-application-configuration: {applicationId: \"${application_id}\"}\n", "422")},
		"request-oauth-authorization-code":         {pos: codeChain, neg: status("- request-oauth-authorization-code: {client_id: nosuch, nonce: n1}\n", "404")},
		"retrieve-oauth-authorization-code":        {pos: codeChain + codeStep, neg: status(codeChain+"- retrieve-oauth-authorization-code: {client_id: \"${client_id}\", client_secret: wrong, id: \"${code_request_id}\", nonce: n1}\n", "401")},
		"obtain-oauth-access-token":                {pos: tokenChain, neg: status(oauthChain+"- obtain-oauth-access-token: {client_id: \"${client_id}\", authorization_code: nosuch}\n", "404")},
		"list-oauth-applications":                  {pos: "- list-oauth-applications: {}", neg: denied("- list-oauth-applications: {}")},
		"retrieve-oauth-application-scope":         {pos: tokenChain + "- retrieve-oauth-application-scope: {}", neg: status("- retrieve-oauth-application-scope: {access_token: nosuch}\n", "401")},
		"refresh-oauth-access-token":               {pos: tokenChain + "- refresh-oauth-access-token: {}", neg: status(tokenChain+"- refresh-oauth-access-token: {refresh_token: nosuch}\n", "401")},
		// K
		"generate-keys":           {pos: "- generate-keys: {}", neg: status("- generate-keys: {}\n", "503"), simNeg: httpDown, public: true},
		"register-public-key":     {pos: "- register-profile: {username: \"k2-${random.hex(8)}\", password: \"Pass-word-1!\"}\n- authenticate: {}\n- register-public-key: {}", neg: rejected("- register-public-key: {}\n", "public_key.already_registered")},
		"retrieve-public-key":     {pos: "- retrieve-public-key: {}", neg: denied("- retrieve-public-key: {}")},
		"retrieve-cab-public-key": {pos: "- retrieve-cab-public-key: {}", neg: denied("- retrieve-cab-public-key: {}")},
		// D
		"reserve-token-space":                      {pos: "- reserve-token-space: {}", neg: status("- reserve-token-space: {ttl: 300}\n", "422")},
		"retrieve-temporary-data-token":            {pos: reserveChain, neg: status("- retrieve-temporary-data-token: {commandId: nosuch}\n", "404")},
		"exchange-data-for-token":                  {pos: reserveChain + "- exchange-data-for-token: {temporaryTokenSpace: \"${temporary_token}\"}", neg: status("- exchange-data-for-token: {temporaryTokenSpace: tmp-nosuch}\n", "404")},
		"upstream-file":                            {pos: reserveChain + "- upstream-file: {}", neg: status(reserveChain+"- upstream-file: {}\n- upstream-file: {}\n", "401")},
		"request-data":                             {pos: "- upload: {}\n- request-data: {token: \"${data_token}\"}", neg: status("- request-data: {token: dtk-nosuch}\n", "404")},
		"download-data":                            {pos: "- upload: {size: 100KiB}\n- request-data: {token: \"${data_token}\"}\n- download-data: {}", neg: status("- download-data: {download: nosuch}\n", "401")},
		"configure-information-security-risk-meta": {pos: "- upload: {}\n- configure-information-security-risk-meta: {token: \"${data_token}\", fields: {classification: secret}}", neg: status("- configure-information-security-risk-meta: {token: dtk-nosuch}\n", "404")},
		"configure-file-meta":                      {pos: reserveChain + "- exchange-data-for-token: {temporaryTokenSpace: \"${temporary_token}\"}\n- configure-file-meta: {token: \"${temporary_token}\", size: 6}", neg: status("- configure-file-meta: {token: tmp-nosuch}\n", "404")},
		"list-data-tokens":                         {pos: "- list-data-tokens: {}", neg: denied("- list-data-tokens: {}")},
		"update-data-token":                        {pos: "- upload: {}\n- update-data-token: {token: \"${data_token}\", fileName: renamed}", neg: status("- update-data-token: {token: dtk-nosuch}\n", "404")},
		"delete-data":                              {pos: "- upload: {}\n- delete-data: {token: \"${data_token}\"}", neg: status("- delete-data: {token: dtk-nosuch}\n", "404")},
		// V
		"request-device-identifier":     {pos: "- request-device-identifier: {deviceName: d1}", neg: denied("- request-device-identifier: {deviceName: d1}")},
		"retrieve-device-identifier":    {pos: deviceChain, neg: status("- retrieve-device-identifier: {id: nosuch}\n", "404")},
		"retrieve-profile-devices":      {pos: "- retrieve-profile-devices: {}", neg: denied("- retrieve-profile-devices: {}")},
		"configure-device-meta":         {pos: authDevice + "- configure-device-meta: {deviceIdentifier: \"${device_id}\", name: renamed}", neg: rejected("- configure-device-meta: {deviceIdentifier: nosuch}\n", "device.not_found")},
		"approve-device":                {pos: approved, neg: rejected("- approve-device: {deviceIdentifier: nosuch}\n", "device.not_found")},
		"reject-device":                 {pos: deviceChain + "- reject-device: {deviceIdentifier: \"${device_id}\"}", neg: rejected(authDevice+"- reject-device: {deviceIdentifier: \"${device_id}\"}\n", "device.not_pending")},
		"retrieve-device-configuration": {pos: authDevice + "- retrieve-device-configuration: {deviceIdentifier: \"${device_id}\"}", neg: status("- retrieve-device-configuration: {deviceIdentifier: nosuch}\n", "404")},
		"remove-device":                 {pos: authDevice + "- remove-device: {deviceIdentifier: \"${device_id}\"}", neg: rejected("- remove-device: {deviceIdentifier: nosuch}\n", "device.not_found")},
		// S
		"register-storage-device":    {pos: approved + "- register-storage-device: {deviceIdentifier: \"${device_id}\"}", neg: rejected(deviceChain+"- register-storage-device: {deviceIdentifier: \"${device_id}\"}\n", "device.not_approved")},
		"list-storage-devices":       {pos: "- list-storage-devices: {}", neg: denied("- list-storage-devices: {}")},
		"synchronize-storage-device": {pos: approved + "- register-storage-device: {deviceIdentifier: \"${device_id}\"}\n- synchronize-storage-device: {deviceIdentifier: \"${device_id}\"}", neg: rejected(approved+"- synchronize-storage-device: {deviceIdentifier: \"${device_id}\"}\n", "storage.not_a_storage_device")},
		"remove-storage-device":      {pos: approved + "- register-storage-device: {deviceIdentifier: \"${device_id}\"}\n- remove-storage-device: {deviceIdentifier: \"${device_id}\"}", neg: rejected(approved+"- remove-storage-device: {deviceIdentifier: \"${device_id}\"}\n", "storage.not_a_storage_device")},
		// A
		"register-authenticator":        {pos: approved + "- register-authenticator: {deviceIdentifier: \"${device_id}\"}", neg: rejected(deviceChain+"- register-authenticator: {deviceIdentifier: \"${device_id}\"}\n", "device.not_approved")},
		"list-authenticators":           {pos: authDevice + "- list-authenticators: {}\n  check: [\"len(response.body) == 1\"]", neg: denied("- list-authenticators: {}")},
		"retrieve-voting-strategy":      {pos: "- retrieve-voting-strategy: {}", neg: denied("- retrieve-voting-strategy: {}")},
		"set-quorum-size":               {pos: "- set-quorum-size: {quorumSize: 1}", neg: denied("- set-quorum-size: {quorumSize: 1}")},
		"set-quorum-strategy":           {pos: "- set-quorum-strategy: {strategy: consensus}", neg: denied("- set-quorum-strategy: {strategy: consensus}")},
		"set-voting-time-limit":         {pos: "- set-voting-time-limit: {timeLimit: 30}", neg: denied("- set-voting-time-limit: {timeLimit: 30}")},
		"set-maximum-voting-attempts":   {pos: "- set-maximum-voting-attempts: {numberOfAttempts: 2}", neg: denied("- set-maximum-voting-attempts: {numberOfAttempts: 2}")},
		"remove-authenticator":          {pos: authDevice + "- remove-authenticator: {deviceIdentifier: \"${device_id}\"}", neg: rejected(approved+"- remove-authenticator: {deviceIdentifier: \"${device_id}\"}\n", "verified_authenticator.not_found")},
		"register-voting-configuration": {pos: votingConfig, neg: rejected(votingConfig+votingConfig, "voting_configuration.name_taken")},
		"update-voting-configuration":   {pos: votingConfig + "- update-voting-configuration: {name: vc1, strategy: consensus}", neg: rejected("- update-voting-configuration: {name: nosuch}\n", "voting_configuration.not_found")},
		"list-voting-configurations":    {pos: votingConfig + "- list-voting-configurations: {}", neg: denied("- list-voting-configurations: {}")},
		"retrieve-voting-configuration": {pos: votingConfig + "- retrieve-voting-configuration: {name: vc1}", neg: status("- retrieve-voting-configuration: {name: nosuch}\n", "404")},
		// PL
		"list-policy-templates":    {pos: "- list-policy-templates: {}", neg: denied("- list-policy-templates: {}")},
		"register-policy":          {pos: policyChain, neg: rejected("- register-policy: {name: p1, policyTemplateId: nosuch, applyingEventIds: [\"17\"]}\n", "policy.template_not_found")},
		"list-active-policies":     {pos: "- list-active-policies: {}", neg: denied("- list-active-policies: {}")},
		"list-inactive-policies":   {pos: "- list-inactive-policies: {}", neg: denied("- list-inactive-policies: {}")},
		"activate-policy":          {pos: policyChain + "- activate-policy: {policyId: \"${policy_id}\"}", neg: rejected("- activate-policy: {policyId: nosuch}\n", "policy.not_found")},
		"deactivate-policy":        {pos: policyChain + "- activate-policy: {policyId: \"${policy_id}\"}\n- deactivate-policy: {policyId: \"${policy_id}\"}", neg: rejected("- deactivate-policy: {policyId: nosuch}\n", "policy.not_found")},
		"delete-policy":            {pos: policyChain + "- delete-policy: {policyId: \"${policy_id}\"}", neg: rejected(policyChain+"- activate-policy: {policyId: \"${policy_id}\"}\n- delete-policy: {policyId: \"${policy_id}\"}\n", "policy.active")},
		"list-registered-policies": {pos: policyChain + "- list-registered-policies: {}\n  check: [\"len(response.body) == 1\"]", neg: denied("- list-registered-policies: {}")},
		"retrieve-policy":          {pos: policyChain, neg: status("- retrieve-policy: {name: nosuch}\n", "404")},
		// VT
		"create-voting":     {pos: poolChain, neg: rejected("- create-voting: {votingConfigurationId: nosuch}\n", "voting_configuration.not_found")},
		"check-pool-status": {pos: poolChain + "- check-pool-status: {poolId: \"${pool_id}\"}", neg: status("- check-pool-status: {poolId: nosuch}\n", "404")},
		// W
		"join-channel":  {pos: "- join-channel: {}\n- reserve-token-space: {}", neg: denied("- join-channel: {}")},
		"leave-channel": {pos: "- leave-channel: {}\n- reserve-token-space: {}", neg: "- leave-channel: {}", fails: "ws_closed", negPublic: true},
	}
}
