{{/*
Chart name, overridable; 63 characters is the DNS label limit.
*/}}
{{- define "traceline.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Fully qualified name for the release's resources. If the release name already contains the chart
name it is used as is.
*/}}
{{- define "traceline.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Chart name and version, for the helm.sh/chart label.
*/}}
{{- define "traceline.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels on every resource.
*/}}
{{- define "traceline.labels" -}}
helm.sh/chart: {{ include "traceline.chart" . }}
{{ include "traceline.selectorLabels" . }}
app.kubernetes.io/version: {{ include "traceline.imageTag" . | trunc 63 | trimSuffix "-" | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: traceline
{{- end }}

{{/*
Labels that select the platform pods; immutable in a Deployment, so they never include versions.
*/}}
{{- define "traceline.selectorLabels" -}}
app.kubernetes.io/name: {{ include "traceline.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: platform
{{- end }}

{{/*
ServiceAccount the pods run as.
*/}}
{{- define "traceline.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "traceline.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Headless Service through which Hazelcast members discover each other. The suffix must fit in a
63-character DNS label.
*/}}
{{- define "traceline.hazelcastServiceName" -}}
{{- printf "%s-hazelcast" (include "traceline.fullname" . | trunc 53 | trimSuffix "-") }}
{{- end }}

{{/*
Fully qualified DNS name of the discovery Service (TRACELINE_CLUSTER_KUBERNETES_SERVICE_DNS).
*/}}
{{- define "traceline.hazelcastServiceDns" -}}
{{- printf "%s.%s.svc.%s" (include "traceline.hazelcastServiceName" .) .Release.Namespace .Values.clusterDomain }}
{{- end }}

{{/*
Image tag: the configured tag, else the chart's appVersion.
*/}}
{{- define "traceline.imageTag" -}}
{{- default .Chart.AppVersion .Values.image.tag }}
{{- end }}

{{/*
Full image reference; a digest wins over the tag.
*/}}
{{- define "traceline.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (include "traceline.imageTag" .) }}
{{- end }}
{{- end }}

{{/*
Secret the chart creates for plain-text evaluation secrets.
*/}}
{{- define "traceline.secretName" -}}
{{- include "traceline.fullname" . }}
{{- end }}

{{/*
True (non-empty) when the chart has to create its own Secret.
*/}}
{{- define "traceline.createSecret" -}}
{{- if or (and (not .Values.database.existingSecret) (or .Values.database.password .Values.database.migrationPassword)) (and (not .Values.keycloak.existingSecret) (or .Values.keycloak.adminClientSecret .Values.keycloak.signingClientSecret)) }}true{{- end }}
{{- end }}

{{/*
secretKeyRef of the database password: the existing Secret, else the chart's Secret. Fails the
render when neither is configured.
*/}}
{{- define "traceline.databasePasswordRef" -}}
{{- if .Values.database.existingSecret -}}
name: {{ .Values.database.existingSecret }}
key: {{ .Values.database.existingSecretPasswordKey }}
{{- else -}}
{{- $_ := required "set database.existingSecret (recommended) or database.password (evaluation only)" .Values.database.password -}}
name: {{ include "traceline.secretName" . }}
key: db-password
{{- end }}
{{- end }}

{{/*
secretKeyRef of the Keycloak admin client secret: the existing Secret, else the chart's Secret.
*/}}
{{- define "traceline.keycloakClientSecretRef" -}}
{{- if .Values.keycloak.existingSecret -}}
name: {{ .Values.keycloak.existingSecret }}
key: {{ .Values.keycloak.existingSecretClientSecretKey }}
{{- else -}}
{{- $_ := required "set keycloak.existingSecret (recommended) or keycloak.adminClientSecret (evaluation only)" .Values.keycloak.adminClientSecret -}}
name: {{ include "traceline.secretName" . }}
key: keycloak-admin-client-secret
{{- end }}
{{- end }}

{{/*
secretKeyRef of the signing client's secret: the existing Secret, else the chart's Secret.
*/}}
{{- define "traceline.keycloakSigningSecretRef" -}}
{{- if .Values.keycloak.existingSecret -}}
name: {{ .Values.keycloak.existingSecret }}
key: {{ .Values.keycloak.existingSecretSigningClientSecretKey }}
{{- else -}}
{{- $_ := required "set keycloak.existingSecret (recommended) or keycloak.signingClientSecret (evaluation only)" .Values.keycloak.signingClientSecret -}}
name: {{ include "traceline.secretName" . }}
key: keycloak-signing-client-secret
{{- end }}
{{- end }}

{{/*
secretKeyRef of the migration user's password (database.migrationUser set): the existing Secret, else the chart's.
*/}}
{{- define "traceline.databaseMigrationPasswordRef" -}}
{{- if .Values.database.existingSecret -}}
name: {{ .Values.database.existingSecret }}
key: {{ .Values.database.existingSecretMigrationPasswordKey }}
{{- else -}}
{{- $_ := required "set database.existingSecret (recommended) or database.migrationPassword (evaluation only) for database.migrationUser" .Values.database.migrationPassword -}}
name: {{ include "traceline.secretName" . }}
key: db-migration-password
{{- end }}
{{- end }}

{{/*
Termination grace: the preStop wait plus the platform's own shutdown grace plus a margin, so the
kubelet never kills the JVM mid-drain.
*/}}
{{- define "traceline.terminationGracePeriodSeconds" -}}
{{- if kindIs "invalid" .Values.shutdown.terminationGracePeriodSeconds }}
{{- add .Values.shutdown.preStopSleepSeconds .Values.shutdown.graceSeconds 5 }}
{{- else }}
{{- .Values.shutdown.terminationGracePeriodSeconds }}
{{- end }}
{{- end }}
