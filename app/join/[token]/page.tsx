import { AuthPage } from '../../_account/AuthPage';
import { JoinForm } from '../../_account/JoinForm';

export const dynamic = 'force-dynamic';

export default async function JoinPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return (
    <AuthPage>
      <JoinForm token={token} />
    </AuthPage>
  );
}
